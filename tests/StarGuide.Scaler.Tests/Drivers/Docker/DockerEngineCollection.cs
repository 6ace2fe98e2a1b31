namespace StarGuide.Scaler.Tests.Drivers.Docker;

/// <summary>The tests that share one engine and one test image.</summary>
[CollectionDefinition(Name)]
public sealed class DockerEngineCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "docker engine";
}
