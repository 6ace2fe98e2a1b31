using System.Diagnostics.Metrics;

namespace StarGuide.BackupService.Backups;

/// <summary>
/// Backup outcomes for Prometheus: <c>starguide_backup_last_success_timestamp_seconds</c> (alert when too old),
/// <c>starguide_backup_duration_seconds</c>, <c>starguide_backup_size_bytes</c> and
/// <c>starguide_backup_failures_total</c>.
/// </summary>
internal sealed class BackupMetrics
{
    public const string MeterName = "StarGuide.BackupService";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;
    private double? _lastSuccessSeconds;
    private long? _lastSize;

    public BackupMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram<double>("starguide.backup.duration", "s", "Time to write and verify a backup");
        _failures = meter.CreateCounter<long>("starguide.backup.failures", "{backup}", "Backups that failed");
        meter.CreateObservableGauge("starguide.backup.last_success_timestamp", ObserveLastSuccess, "s",
            "Unix time of the newest successful backup (absent until there is one)");
        meter.CreateObservableGauge("starguide.backup.size", ObserveSize, "By", "Size of the newest successful backup");
    }

    /// <summary>At start, the newest archive on disk stands for the last success, so a restart does not hide an old one.</summary>
    public void SeedLastSuccess(DateTimeOffset createdAt, long size)
    {
        _lastSuccessSeconds ??= createdAt.ToUnixTimeMilliseconds() / 1000.0;
        _lastSize ??= size;
    }

    public void RecordSuccess(DateTimeOffset completedAt, TimeSpan duration, long size)
    {
        _lastSuccessSeconds = completedAt.ToUnixTimeMilliseconds() / 1000.0;
        _lastSize = size;
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("result", "success"));
    }

    public void RecordFailure(TimeSpan duration)
    {
        _failures.Add(1);
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("result", "failure"));
    }

    private IEnumerable<Measurement<double>> ObserveLastSuccess() =>
        _lastSuccessSeconds is { } seconds ? [new Measurement<double>(seconds)] : [];

    private IEnumerable<Measurement<long>> ObserveSize() =>
        _lastSize is { } size ? [new Measurement<long>(size)] : [];
}
