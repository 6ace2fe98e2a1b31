namespace StarGuide.AppHost.Instances;

/// <summary>Instances of the sample application that form one pool behind the gateway.</summary>
internal sealed record SamplePool(string Name, string HealthPath, IReadOnlyList<IResourceBuilder<ExecutableResource>> Instances);
