namespace StarGuide.Testing.Tests;

// The failure paths of a start-up, with /bin/sh standing in for a server: the real servers fail rarely.
public sealed class ReadinessTests
{
    [Fact]
    public async Task Server_that_exits_during_start_up_fails_at_once_with_its_output()
    {
        var output = new OutputRingBuffer();
        using var process = ChildProcess.Start(
            "/bin/sh", ["-c", "echo booting; echo 'bind: address already in use' >&2; exit 3"], Path.GetTempPath(), new Dictionary<string, string?>(), output);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Readiness.WaitAsync(
            "fake server", process, output, _ => Task.FromResult<string?>("connection refused"), CancellationToken.None));

        Assert.Contains("fake server did not start: sh exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("bind: address already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_that_never_answers_times_out_with_the_last_error_and_output()
    {
        var output = new OutputRingBuffer();
        using var process = ChildProcess.Start(
            "/bin/sh", ["-c", "echo still booting; exec sleep 30"], Path.GetTempPath(), new Dictionary<string, string?>(), output);
        try
        {
            var error = await Assert.ThrowsAsync<TimeoutException>(() => Readiness.WaitAsync(
                "fake server",
                process,
                output,
                _ => Task.FromResult<string?>("connection refused"),
                CancellationToken.None,
                timeout: TimeSpan.FromSeconds(1)));

            Assert.Contains("fake server was not ready within 1 s", error.Message, StringComparison.Ordinal);
            Assert.Contains("Last attempt: connection refused", error.Message, StringComparison.Ordinal);
            Assert.Contains("still booting", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await process.KillTreeAsync();
        }

        Assert.False(ProcessState.IsAlive(process.Id));
    }

    [Fact]
    public async Task Cancellation_stops_the_wait()
    {
        var output = new OutputRingBuffer();
        using var process = ChildProcess.Start(
            "/bin/sh", ["-c", "exec sleep 30"], Path.GetTempPath(), new Dictionary<string, string?>(), output);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Readiness.WaitAsync(
                "fake server", process, output, _ => Task.FromResult<string?>("not yet"), cancellation.Token));
        }
        finally
        {
            await process.KillTreeAsync();
        }
    }

    [Fact]
    public void Output_buffer_keeps_only_the_newest_lines()
    {
        var output = new OutputRingBuffer(capacity: 3);
        foreach (var line in new[] { "one", "two", "three", "four" })
        {
            output.Add(line);
        }

        Assert.Equal(string.Join(Environment.NewLine, "two", "three", "four"), output.Tail());
        Assert.Equal("four", output.Tail(1));
    }
}
