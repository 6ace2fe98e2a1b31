using MassTransit;
using StarGuide.Contracts;
using StarGuide.Scaler.StatusPage;

namespace StarGuide.Scaler.Messaging;

/// <summary>A verified backup, for the status page (a redelivery is recognised by its id).</summary>
internal sealed class BackupCompletedConsumer(RecentActivity activity) : IConsumer<BackupCompleted>
{
    public Task Consume(ConsumeContext<BackupCompleted> context)
    {
        var m = context.Message;
        activity.AddBackup(new BackupReport(m.BackupId, Verified: true, m.CompletedAt, m.Path, m.SizeBytes, m.Sha256, m.FileCount,
            Math.Round(m.Duration.TotalSeconds, 2)));
        return Task.CompletedTask;
    }
}
