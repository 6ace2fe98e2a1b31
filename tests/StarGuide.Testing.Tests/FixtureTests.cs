namespace StarGuide.Testing.Tests;

// What a fixture does outside xunit's normal calls; the started case is covered by InfrastructureFixtureTests.
public sealed class FixtureTests
{
    [Fact]
    public async Task Fixtures_that_were_never_started_say_so_and_dispose_quietly()
    {
        var rabbitMq = new RabbitMqFixture();
        var infrastructure = new InfrastructureFixture();

        Assert.Contains("IClassFixture", Assert.Throws<InvalidOperationException>(() => rabbitMq.Server).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => infrastructure.RabbitMq);
        Assert.Throws<InvalidOperationException>(() => infrastructure.Redis);

        await rabbitMq.DisposeAsync();
        await infrastructure.DisposeAsync();
    }
}
