using Cronos;

namespace StarGuide.BackupService.Scheduling;

/// <summary>The <c>Backup:Schedule</c> cron expression, evaluated in UTC so that a daylight-saving change never skips or repeats a run.</summary>
internal static class BackupSchedule
{
    /// <summary>Parses 5 fields (minute precision) or 6 (with seconds first); throws <see cref="CronFormatException"/>.</summary>
    public static CronExpression Parse(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
    }

    public static DateTimeOffset? NextAfter(CronExpression schedule, DateTimeOffset now) =>
        schedule.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc) is { } next
            ? new DateTimeOffset(next, TimeSpan.Zero)
            : null;
}
