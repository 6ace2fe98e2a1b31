using Xunit.Abstractions;

namespace StarGuide.Testing.Tests;

/// <summary><see cref="RabbitMqCluster"/>: its nodes form one cluster, one can be killed, and dispose leaves nothing behind.</summary>
public sealed class RabbitMqClusterTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Nodes_form_one_cluster_a_killed_node_is_gone_and_dispose_leaves_no_process_or_folder_behind()
    {
        Need.OwnServers.Check(RabbitMqCluster.CanStart, "a local RabbitMQ cluster needs the Debian package's rabbitmq-server: apt-get install -y rabbitmq-server");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cluster = await RabbitMqCluster.StartAsync(nodeCount: 2);
        output.WriteLine($"two-node cluster formed in {clock.Elapsed.TotalSeconds:0.0} s");
        IReadOnlyList<int> processes;
        IReadOnlyList<string> folders;
        try
        {
            processes = cluster.ProcessIds;
            folders = cluster.DataDirectories;
            // Two launchers, two Erlang VMs, one epmd.
            Assert.Equal(5, processes.Count(ProcessState.IsAlive));
            Assert.Equal(2, cluster.NodesSetting.Split(',').Length);

            await cluster.KillAsync(1);

            await Eventually.TrueAsync(() => processes.Count(ProcessState.IsAlive) == 3, TimeSpan.FromSeconds(10),
                () => $"after the kill of node 1, {processes.Count(ProcessState.IsAlive)} of our processes run, not 3");
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        Assert.DoesNotContain(processes, ProcessState.IsAlive);
        Assert.DoesNotContain(folders, Directory.Exists);
    }
}
