using Microsoft.Extensions.Logging.Abstractions;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Drivers.Systemd;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Tests.Drivers.Systemd;

/// <summary>The driver against <see cref="FakeSystemctl"/>: the exact systemctl commands, not a real systemd.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SystemdDriverTests : IDisposable
{
    private const string List = "list-units --plain --no-legend --all starguide-backend@*.service";
    private readonly FakeSystemctl _systemctl = new();

    [Fact]
    public async Task Start_lists_then_starts_the_lowest_slot_and_checks_it_is_active()
    {
        var driver = CreateDriver();

        var instance = await driver.StartAsync(new InstanceLaunch("backend", "backend-7", 7), default);

        Assert.Equal([List, "start starguide-backend@1.service", "is-active starguide-backend@1.service"], _systemctl.Calls);
        Assert.Equal("backend-7", instance.InstanceId);
        Assert.Equal(new Uri("http://127.0.0.1:8001"), instance.Address);
        Assert.Equal("starguide-backend@1.service", instance.Handle);
        Assert.Equal("active running", _systemctl.StateOf("starguide-backend@1.service"));
    }

    [Fact]
    public async Task Start_after_a_stop_reuses_the_freed_slot_not_the_ordinal()
    {
        var driver = CreateDriver();
        var first = await driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default);
        var second = await driver.StartAsync(new InstanceLaunch("backend", "backend-2", 2), default);
        var third = await driver.StartAsync(new InstanceLaunch("backend", "backend-3", 3), default);
        await driver.StopAsync(second, TimeSpan.FromSeconds(5), default);
        _systemctl.ClearCalls();

        var fourth = await driver.StartAsync(new InstanceLaunch("backend", "backend-4", 4), default);

        Assert.Equal([List, "start starguide-backend@2.service", "is-active starguide-backend@2.service"], _systemctl.Calls);
        Assert.Equal(("starguide-backend@2.service", new Uri("http://127.0.0.1:8002")), (fourth.Handle, fourth.Address));
        var listed = await driver.ListAsync(default);
        Assert.Equal(["backend-1", "backend-3", "backend-4"], listed.Select(i => i.InstanceId).Order());
        Assert.Equal([first.Handle, third.Handle], listed.Where(i => i.InstanceId != "backend-4").Select(i => i.Handle).Order());
    }

    [Fact]
    public async Task Two_starts_at_once_take_two_slots_although_each_lists_before_the_others_unit_is_up()
    {
        var driver = CreateDriver();
        // The pool controller starts instances in parallel: the second start lists the units while the first one's
        // `systemctl start` has not yet brought its unit up, so systemd shows slot 1 free to both.
        _systemctl.Hold("start");
        var first = driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default);
        await _systemctl.WaitForCallsAsync(c => c.Any(l => l.StartsWith("start ", StringComparison.Ordinal)), "the first start never ran systemctl start");
        var second = driver.StartAsync(new InstanceLaunch("backend", "backend-2", 2), default);
        await _systemctl.WaitForCallsAsync(c => c.Count(l => l.StartsWith("start ", StringComparison.Ordinal)) == 2, "the second start never ran systemctl start");
        _systemctl.Release("start");

        var started = await Task.WhenAll(first, second);

        Assert.Equal(["starguide-backend@1.service", "starguide-backend@2.service"], started.Select(i => i.Handle).Order());
        Assert.Equal([List, List, "start starguide-backend@1.service", "start starguide-backend@2.service"],
            _systemctl.Calls.Where(c => !c.StartsWith("is-active", StringComparison.Ordinal)).Order());
        Assert.Equal(["backend-1", "backend-2"], (await driver.ListAsync(default)).Select(i => i.InstanceId).Order());
    }

    [Fact]
    public async Task A_listing_while_a_start_is_under_way_does_not_report_its_unit_under_another_id()
    {
        var driver = CreateDriver();
        // The unit is up but its start has not returned yet (is-active not answered): a listing now must not adopt it as
        // a unit someone else started (backend@1), or the pool would count it twice, once under each id.
        _systemctl.Hold("is-active");
        var start = driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default);
        await _systemctl.WaitForCallsAsync(c => c.Any(l => l.StartsWith("is-active ", StringComparison.Ordinal)), "the start never asked is-active");

        var during = await driver.ListAsync(default);
        _systemctl.Release("is-active");
        var instance = await start;

        Assert.Empty(during);
        Assert.Equal("backend-1", instance.InstanceId);
        Assert.Equal(instance, Assert.Single(await driver.ListAsync(default)));
    }

    [Fact]
    public async Task Stop_runs_systemctl_stop_and_the_unit_is_no_longer_listed()
    {
        var driver = CreateDriver();
        var instance = await driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default);
        _systemctl.ClearCalls();

        await driver.StopAsync(instance, TimeSpan.FromSeconds(5), default);

        Assert.Equal(["stop starguide-backend@1.service"], _systemctl.Calls);
        Assert.Equal("inactive dead", _systemctl.StateOf("starguide-backend@1.service"));
        Assert.Empty(await driver.ListAsync(default));
    }

    [Fact]
    public async Task Stop_that_outlasts_the_grace_kills_the_unit_then_waits_for_the_stop()
    {
        var driver = CreateDriver();
        var instance = await driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default);
        _systemctl.HangStop(instance.Handle);
        _systemctl.ClearCalls();

        await driver.StopAsync(instance, TimeSpan.FromMilliseconds(300), default);

        Assert.Equal(
            ["stop starguide-backend@1.service", "kill --signal=SIGKILL starguide-backend@1.service", "stop starguide-backend@1.service"],
            _systemctl.Calls);
        Assert.Equal("inactive dead", _systemctl.StateOf(instance.Handle));
    }

    [Fact]
    public async Task Failing_start_throws_quoting_the_command_and_its_stderr_and_stops_the_unit()
    {
        var driver = CreateDriver();
        _systemctl.FailStart("starguide-backend@1.service", "Job for starguide-backend@1.service failed because the control process exited with error code.");

        var ex = await Assert.ThrowsAsync<InstanceDriverException>(() => driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default));

        Assert.Contains($"`{_systemctl.ScriptPath} start starguide-backend@1.service` exited with code 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the control process exited with error code", ex.Message, StringComparison.Ordinal);
        Assert.Equal([List, "start starguide-backend@1.service", "stop starguide-backend@1.service"], _systemctl.Calls);
    }

    [Fact]
    public async Task Start_of_a_unit_that_is_not_active_afterwards_fails_and_stops_it()
    {
        var driver = CreateDriver();
        // A unit with Restart=always whose process exits at once: start succeeds, then it is restarting.
        var script = await File.ReadAllTextAsync(_systemctl.ScriptPath);
        await File.WriteAllTextAsync(_systemctl.ScriptPath, script.Replace("echo \"active running\"", "echo \"activating auto-restart\"", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<InstanceDriverException>(() => driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default));

        Assert.Contains("is-active starguide-backend@1.service` says 'activating'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(
            [List, "start starguide-backend@1.service", "is-active starguide-backend@1.service", "stop starguide-backend@1.service"],
            _systemctl.Calls);
    }

    [Fact]
    public async Task List_adopts_an_already_active_unit_with_an_id_from_its_slot_and_start_skips_its_slot()
    {
        _systemctl.SetState("starguide-backend@1.service", "active running");
        _systemctl.SetState("starguide-backend@2.service", "inactive dead");
        _systemctl.SetState("starguide-backend@3.service", "failed failed");
        _systemctl.SetState("starguide-frontend@4.service", "active running");
        var driver = CreateDriver();

        var listed = await driver.ListAsync(default);

        var adopted = Assert.Single(listed);
        Assert.Equal(("backend@1", new Uri("http://127.0.0.1:8001"), "starguide-backend@1.service"), (adopted.InstanceId, adopted.Address, adopted.Handle));
        Assert.Equal([List], _systemctl.Calls);
        Assert.Equal(adopted, Assert.Single(await driver.ListAsync(default)));

        var started = await driver.StartAsync(new InstanceLaunch("backend", "backend-9", 9), default);
        Assert.Equal("starguide-backend@2.service", started.Handle);
    }

    [Fact]
    public async Task A_new_driver_adopts_the_units_of_a_previous_one()
    {
        var before = CreateDriver();
        await before.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default);
        await before.StartAsync(new InstanceLaunch("backend", "backend-2", 2), default);

        var listed = await CreateDriver().ListAsync(default);

        Assert.Equal(["backend@1", "backend@2"], listed.Select(i => i.InstanceId).Order());
    }

    [Fact]
    public async Task Start_with_every_slot_taken_fails_without_starting_anything()
    {
        var driver = CreateDriver(o => o.Slots = 2);
        await driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default);
        await driver.StartAsync(new InstanceLaunch("backend", "backend-2", 2), default);
        _systemctl.ClearCalls();

        var ex = await Assert.ThrowsAsync<InstanceDriverException>(() => driver.StartAsync(new InstanceLaunch("backend", "backend-3", 3), default));

        Assert.Contains("All 2 slots of starguide-backend@*.service are in use", ex.Message, StringComparison.Ordinal);
        Assert.Equal([List], _systemctl.Calls);
    }

    [Fact]
    public async Task User_mode_puts_user_first_on_every_call()
    {
        var driver = CreateDriver(o => o.User = true);

        var instance = await driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default);
        await driver.StopAsync(instance, TimeSpan.FromSeconds(5), default);

        Assert.Equal(
            ["--user " + List, "--user start starguide-backend@1.service", "--user is-active starguide-backend@1.service", "--user stop starguide-backend@1.service"],
            _systemctl.Calls);
    }

    [Fact]
    public async Task Stop_refuses_a_handle_that_is_not_a_unit_of_the_template()
    {
        var driver = CreateDriver();
        var stranger = new RunningInstance("x", new Uri("http://127.0.0.1:1"), "sshd.service", DateTimeOffset.UnixEpoch);

        await Assert.ThrowsAsync<InstanceDriverException>(() => driver.StopAsync(stranger, TimeSpan.FromSeconds(1), default));

        Assert.Empty(_systemctl.Calls);
    }

    [Fact]
    public async Task A_missing_systemctl_is_an_instance_driver_exception_naming_it()
    {
        var driver = CreateDriver(o => o.SystemctlPath = Path.Combine(_systemctl.Directory, "no-such-systemctl"));

        var ex = await Assert.ThrowsAsync<InstanceDriverException>(() => driver.ListAsync(default));

        Assert.Contains("no-such-systemctl list-units", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_systemctl_call_that_outlives_the_command_timeout_is_killed_and_reported()
    {
        var driver = CreateDriver(o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        var script = await File.ReadAllTextAsync(_systemctl.ScriptPath);
        await File.WriteAllTextAsync(_systemctl.ScriptPath, script.Replace("verb=\"$1\"; shift", "verb=\"$1\"; shift; exec sleep 30", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<InstanceDriverException>(() => driver.ListAsync(default));

        Assert.Contains("did not finish within", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _systemctl.Dispose();

    private SystemdDriver CreateDriver(Action<SystemdDriverOptions>? configure = null)
    {
        var pool = new ScalerPoolOptions { Driver = "systemd" };
        pool.Systemd.Unit = "starguide-backend@{index}.service";
        pool.Systemd.Address = "http://127.0.0.1:800{index}";
        pool.Systemd.SystemctlPath = _systemctl.ScriptPath;
        configure?.Invoke(pool.Systemd);
        return (SystemdDriver)new SystemdDriverFactory(TimeProvider.System, NullLoggerFactory.Instance).Create("backend", pool);
    }
}
