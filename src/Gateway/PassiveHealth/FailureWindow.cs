namespace StarGuide.Gateway.PassiveHealth;

/// <summary>
/// One destination's recent failures: the timestamps of the last MaxFails of them, so that "MaxFails failures within
/// FailTimeout" is one comparison with the oldest. Touched on failures only, never on a success.
/// </summary>
internal sealed class FailureWindow
{
    private readonly Lock _lock = new();
    private long[] _timestamps = [];
    private int _next;
    private int _count;
    private bool _ejectedBefore;

    /// <summary>
    /// Records a failure at <paramref name="now"/> (a <see cref="TimeProvider"/> timestamp) and says whether it takes
    /// the destination out. <paramref name="onTrial"/>: the destination is back from an ejection and has not answered
    /// well since, so one failure takes it out again (nginx does the same after <c>fail_timeout</c>).
    /// </summary>
    public bool RecordFailure(TimeProvider time, long now, int maxFails, TimeSpan failTimeout, bool onTrial)
    {
        lock (_lock)
        {
            if (!(onTrial && _ejectedBefore))
            {
                if (_timestamps.Length != maxFails)
                {
                    _timestamps = new long[maxFails];
                    _next = 0;
                    _count = 0;
                }
                _timestamps[_next] = now;
                _next = (_next + 1) % maxFails;
                _count = Math.Min(_count + 1, maxFails);
                // When full, _next points at the oldest of the last maxFails failures.
                if (_count < maxFails || time.GetElapsedTime(_timestamps[_next], now) > failTimeout)
                {
                    return false;
                }
            }
            _count = 0;
            _ejectedBefore = true;
            return true;
        }
    }
}
