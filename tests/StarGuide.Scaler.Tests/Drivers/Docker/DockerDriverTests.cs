using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using StarGuide.Scaler.Drivers;
using Docker.DotNet;
using Docker.DotNet.Models;
using StarGuide.Scaler.Drivers.Docker;
using StarGuide.Scaler.Pools;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.Scaler.Tests.Drivers.Docker;

/// <summary>
/// Against a real engine (skipped without one, failed where the run requires one: <see cref="DockerEngineFixture.Require"/>).
/// Each test has a pool of its own; its containers go in DisposeAsync.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class DockerDriverTests(DockerEngineFixture engine, ITestOutputHelper output) : IAsyncLifetime
{
    // A die event takes milliseconds on a quiet machine; the engine and the driver's stream share a loaded one here.
    private static readonly TimeSpan _eventWait = TimeSpan.FromSeconds(30);

    private readonly string _pool = $"t{Guid.NewGuid():N}"[..10];
    private readonly List<DockerDriver> _drivers = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [SkippableFact]
    public async Task Two_instances_answer_HTTP_and_a_new_driver_finds_them_by_label()
    {
        var driver = NewDriver();

        var watch = Stopwatch.StartNew();
        var first = await driver.StartAsync(Launch(1), CancellationToken.None);
        output.WriteLine($"first container started in {watch.ElapsedMilliseconds} ms (image built in {engine.ImageBuildTime.TotalMilliseconds:0} ms)");
        watch.Restart();
        var second = await driver.StartAsync(Launch(2), CancellationToken.None);
        output.WriteLine($"second container started in {watch.ElapsedMilliseconds} ms");

        Assert.Equal("127.0.0.1", first.Address.Host);
        Assert.NotEqual(first.Address, second.Address);
        Assert.Equal($"{_pool}-1", await GetAsync(first.Address, "instance"));
        Assert.Equal($"{_pool}-2", await GetAsync(second.Address, "instance"));
        Assert.Equal("ok", await GetAsync(second.Address, "health"));

        // As after a scaler restart: a driver that started nothing sees both, by their labels.
        var listed = await NewDriver().ListAsync(CancellationToken.None);
        Assert.Equal(
            [(first.InstanceId, first.Address, first.Handle), (second.InstanceId, second.Address, second.Handle)],
            listed.OrderBy(i => i.InstanceId, StringComparer.Ordinal).Select(i => (i.InstanceId, i.Address, i.Handle)));
        var inspected = await engine.Client.Containers.InspectContainerAsync(first.Handle);
        Assert.Equal($"/starguide-{_pool}-1", inspected.Name);
        Assert.Equal("starguide-scaler", inspected.Config.Labels["io.starguide.managed-by"]);
    }

    [SkippableFact]
    public async Task A_container_killed_from_outside_raises_Exited_and_leaves_the_list()
    {
        var driver = NewDriver();
        var exited = new TaskCompletionSource<InstanceExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        driver.Exited += exit => exited.TrySetResult(exit);
        var victim = await driver.StartAsync(Launch(1), CancellationToken.None);
        var survivor = await driver.StartAsync(Launch(2), CancellationToken.None);

        var watch = Stopwatch.StartNew();
        await engine.Client.Containers.KillContainerAsync(victim.Handle, new ContainerKillParameters { Signal = "SIGKILL" });
        var exit = await exited.Task.WaitAsync(_eventWait);
        output.WriteLine($"Exited raised {watch.ElapsedMilliseconds} ms after docker kill: {exit}");

        Assert.Equal(new InstanceExit(victim.InstanceId, "exit code 137"), exit);
        var listed = await driver.ListAsync(CancellationToken.None);
        Assert.Equal([survivor.InstanceId], listed.Select(i => i.InstanceId));
    }

    [SkippableFact]
    public async Task StopAsync_stops_with_SIGTERM_removes_the_container_and_raises_no_Exited()
    {
        var driver = NewDriver();
        var exits = new System.Collections.Concurrent.ConcurrentQueue<InstanceExit>();
        driver.Exited += exits.Enqueue;
        var instance = await driver.StartAsync(Launch(1), CancellationToken.None);
        var marker = await driver.StartAsync(Launch(2), CancellationToken.None);

        var watch = Stopwatch.StartNew();
        await driver.StopAsync(instance, TimeSpan.FromSeconds(30), CancellationToken.None);
        output.WriteLine($"stopped and removed in {watch.ElapsedMilliseconds} ms");

        // The image exits on SIGTERM; SIGKILL would only come after the 30 s grace.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"stop took {watch.Elapsed}");
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => engine.Client.Containers.InspectContainerAsync(instance.Handle));
        Assert.Equal([marker.InstanceId], (await driver.ListAsync(CancellationToken.None)).Select(i => i.InstanceId));
        await driver.StopAsync(instance, TimeSpan.FromSeconds(1), CancellationToken.None);

        // No wait can show that an event never comes. The engine sends the pool's "die" events in order on one stream,
        // which the driver reads in order: once the marker's death (after the stop) is reported, the stopped
        // container's would have been, had the driver reported it.
        await engine.Client.Containers.KillContainerAsync(marker.Handle, new ContainerKillParameters { Signal = "SIGKILL" });
        await Eventually.TrueAsync(() => !exits.IsEmpty, _eventWait, "the marker's death was never reported");
        Assert.Equal([new InstanceExit(marker.InstanceId, "exit code 137")], exits);
    }

    [SkippableFact]
    public async Task CpuTimeAsync_reads_each_container_s_own_cpu_time_and_nothing_for_a_removed_one()
    {
        var driver = NewDriver();
        var idle = await driver.StartAsync(Launch(1), CancellationToken.None);
        var burning = Options();
        burning.Command = [BusyboxHttpImage.Busybox, "sh", "-c", "while :; do :; done"];
        var busyDriver = NewDriver(burning);
        var busy = await busyDriver.StartAsync(Launch(2), CancellationToken.None);
        try
        {
            await AssertCpuTimesAsync(driver, idle, busy);
        }
        finally
        {
            // A busy loop left running would take a core from every test after this one.
            await busyDriver.StopAsync(busy, TimeSpan.FromSeconds(1), CancellationToken.None);
        }
    }

    private async Task AssertCpuTimesAsync(DockerDriver driver, RunningInstance idle, RunningInstance busy)
    {
        var pid = (await engine.Client.Containers.InspectContainerAsync(busy.Handle)).State.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The busy loop's own CPU time as the host's /proc counts it, until it has had 0.3 s (however busy the machine).
        var watch = Stopwatch.StartNew();
        TimeSpan? looped;
        while ((looped = StarGuide.Scaler.Drivers.Process.ProcessCpu.Read(pid)) is not { } t || t < TimeSpan.FromSeconds(0.3))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"the busy container's process {pid} got {looped} of CPU in 60 s");
            await Task.Delay(100);
        }
        var busyCpu = await driver.CpuTimeAsync(busy.Handle, CancellationToken.None);
        var idleCpu = await driver.CpuTimeAsync(idle.Handle, CancellationToken.None);
        output.WriteLine($"after {watch.Elapsed.TotalSeconds:0.0} s: busy container {busyCpu?.TotalSeconds:0.000} s (its loop {looped?.TotalSeconds:0.000} s by /proc), idle {idleCpu?.TotalSeconds:0.000} s");

        // The container's cgroup counts at least what its process had used a moment before.
        Assert.NotNull(busyCpu);
        Assert.True(busyCpu >= looped, $"the engine says {busyCpu}, /proc said {looped} before");
        Assert.NotNull(idleCpu);
        Assert.True(idleCpu < TimeSpan.FromSeconds(0.2), $"an idle container used {idleCpu} of CPU");

        await driver.StopAsync(idle, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Null(await driver.CpuTimeAsync(idle.Handle, CancellationToken.None));
    }

    [SkippableFact]
    public async Task An_instance_runs_without_capabilities_and_cannot_gain_privileges()
    {
        var options = Options();
        // The instance publishes what the kernel says of its own process, next to what it serves.
        options.Command = [BusyboxHttpImage.Busybox, "sh", "-c", "/bin/busybox grep -E '^(Cap|NoNewPrivs)' /proc/self/status > /www/status; exec /bin/busybox sh /start.sh"];
        var instance = await NewDriver(options).StartAsync(Launch(1), CancellationToken.None);

        var inspected = await engine.Client.Containers.InspectContainerAsync(instance.Handle);
        Assert.Equal(["ALL"], inspected.HostConfig.CapDrop);
        Assert.Contains("no-new-privileges:true", inspected.HostConfig.SecurityOpt);
        var status = (await GetAsync(instance.Address, "status")).Split('\n')
            .Select(line => line.Split(':', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(p => p[0], p => p[1]);
        output.WriteLine(string.Join(", ", status.Select(p => $"{p.Key} {p.Value}")));
        Assert.Equal("0000000000000000", status["CapEff"]);
        Assert.Equal("0000000000000000", status["CapBnd"]);
        Assert.Equal("1", status["NoNewPrivs"]);
    }

    [SkippableFact]
    public async Task StartAsync_replaces_a_leftover_container_of_the_same_name()
    {
        RequireEngine();
        var options = Options();
        await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"starguide-{_pool}-1",
            Image = engine.Image,
            Labels = new Dictionary<string, string> { [engine.RunLabel.Key] = engine.RunLabel.Value },
        });

        var instance = await NewDriver(options).StartAsync(Launch(1), CancellationToken.None);

        Assert.Equal("ok", await GetAsync(instance.Address, "health"));
    }

    [SkippableFact]
    public async Task Exited_containers_beyond_RetainExited_are_removed_by_ListAsync()
    {
        var options = Options();
        options.RetainExited = 0;
        var driver = NewDriver(options);
        var instance = await driver.StartAsync(Launch(1), CancellationToken.None);
        await engine.Client.Containers.KillContainerAsync(instance.Handle, new ContainerKillParameters());

        Assert.Empty(await driver.ListAsync(CancellationToken.None));

        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => engine.Client.Containers.InspectContainerAsync(instance.Handle));
    }

    [SkippableFact]
    public async Task A_missing_image_is_named_and_said_not_to_be_pulled()
    {
        var options = Options();
        options.Image = $"starguide-test/absent:{engine.RunLabel.Value}";

        var error = await Assert.ThrowsAsync<InstanceDriverException>(() => NewDriver(options).StartAsync(Launch(1), CancellationToken.None));

        Assert.Contains(options.Image, error.Message, StringComparison.Ordinal);
        Assert.Contains("never pulls", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task On_a_user_network_the_address_is_the_container_name()
    {
        RequireEngine();
        var network = $"starguide-test-{_pool}";
        await engine.Client.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = network });
        try
        {
            var options = Options();
            options.Network = network;
            var driver = NewDriver(options);

            var instance = await driver.StartAsync(Launch(1), CancellationToken.None);

            Assert.Equal(new Uri($"http://starguide-{_pool}-1:8080/"), instance.Address);
            Assert.Equal([instance.Address], (await driver.ListAsync(CancellationToken.None)).Select(i => i.Address));
            var inspected = await engine.Client.Containers.InspectContainerAsync(instance.Handle);
            Assert.Contains(network, inspected.NetworkSettings.Networks.Keys);
            Assert.Empty(inspected.NetworkSettings.Ports?.Values.Where(b => b is not null).SelectMany(b => b) ?? []);
        }
        finally
        {
            await engine.RemoveContainersAsync(_pool);
            await engine.Client.Networks.DeleteNetworkAsync(network);
        }
    }

    private DockerDriverOptions Options() => new()
    {
        Image = engine.Image,
        ContainerPort = 8080,
        Environment = { ["INSTANCE_ID"] = "{id}", ["PORT"] = "{port}" },
        Labels = { [engine.RunLabel.Key] = engine.RunLabel.Value },
        ApiTimeout = TimeSpan.FromSeconds(20),
    };

    private void RequireEngine() => engine.Require();

    private DockerDriver NewDriver(DockerDriverOptions? options = null)
    {
        RequireEngine();
        var driver = (DockerDriver)new DockerDriverFactory(TimeProvider.System, NullLogger<DockerDriver>.Instance)
            .Create(_pool, new ScalerPoolOptions { Driver = "docker", Docker = options ?? Options() });
        _drivers.Add(driver);
        return driver;
    }

    private InstanceLaunch Launch(int ordinal) => new(_pool, $"{_pool}-{ordinal}", ordinal);

    private async Task<string> GetAsync(Uri address, string path)
    {
        // The server inside may need a moment after the container starts (the driver does not wait for health), more
        // on a busy machine.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return (await _http.GetStringAsync(new Uri(address, path))).Trim();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var driver in _drivers)
        {
            await driver.DisposeAsync();
        }

        if (engine.Missing is null)
        {
            await engine.RemoveContainersAsync(_pool);
        }

        _http.Dispose();
    }
}
