using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>The tests that host the whole service share one real RabbitMQ (starting one takes seconds).</summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "service host with a real broker";
}
