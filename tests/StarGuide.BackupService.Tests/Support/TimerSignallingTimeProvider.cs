using Microsoft.Extensions.Time.Testing;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> seen through a provider that says when a timer has been created, so that a test
/// moves the fake clock only once the code under test is waiting on it (a background loop may start late on a busy
/// machine, and would then read a clock the test has already moved).
/// </summary>
internal sealed class TimerSignallingTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first timer has been created.</summary>
    public Task TimerCreated => _timerCreated.Task;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        _timerCreated.TrySetResult();
        return timer;
    }
}
