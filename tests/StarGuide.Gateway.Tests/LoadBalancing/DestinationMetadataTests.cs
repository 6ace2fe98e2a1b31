using StarGuide.Gateway.LoadBalancing;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Tests.LoadBalancing;

/// <summary>An instance's weight and backup flag, as the policies read them back from the destination's metadata.</summary>
public class DestinationMetadataTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(7, true)]
    [InlineData(100, false)]
    public void An_instance_s_weight_and_backup_flag_are_read_back(int weight, bool backup)
    {
        var destination = Destination(DestinationMetadata.From(new InstanceOptions { Id = "a", Weight = weight, Backup = backup }));

        Assert.Equal(weight, DestinationMetadata.WeightOf(destination));
        Assert.Equal(backup, DestinationMetadata.IsBackup(destination));
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("0", 1)]
    [InlineData("-2", 1)]
    [InlineData("2.5", 1)]
    [InlineData("heavy", 1)]
    [InlineData("", 1)]
    public void A_weight_that_is_not_a_positive_integer_counts_as_1(string value, int expected)
    {
        var destination = Destination(new Dictionary<string, string> { [DestinationMetadata.WeightKey] = value });

        Assert.Equal(expected, DestinationMetadata.WeightOf(destination));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("yes", false)]
    [InlineData("", false)]
    public void Only_a_true_backup_flag_makes_a_backup(string value, bool expected)
    {
        var destination = Destination(new Dictionary<string, string> { [DestinationMetadata.BackupKey] = value });

        Assert.Equal(expected, DestinationMetadata.IsBackup(destination));
    }

    [Fact]
    public void A_destination_without_the_entries_is_a_primary_of_weight_1()
    {
        DestinationState[] destinations =
        [
            Destination(metadata: null),
            Destination(new Dictionary<string, string> { ["Other"] = "5" }),
            new("no-model"),
        ];

        Assert.All(destinations, d => Assert.Equal(1, DestinationMetadata.WeightOf(d)));
        Assert.All(destinations, d => Assert.False(DestinationMetadata.IsBackup(d)));
    }

    private static DestinationState Destination(IReadOnlyDictionary<string, string>? metadata) =>
        new("a", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:1/", Metadata = metadata }));
}
