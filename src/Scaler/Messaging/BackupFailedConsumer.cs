using MassTransit;
using StarGuide.Contracts;
using StarGuide.Scaler.StatusPage;

namespace StarGuide.Scaler.Messaging;

/// <summary>A backup that failed (verification included), with its reason, for the status page.</summary>
internal sealed class BackupFailedConsumer(RecentActivity activity) : IConsumer<BackupFailed>
{
    public Task Consume(ConsumeContext<BackupFailed> context)
    {
        activity.AddBackup(new BackupReport(context.Message.BackupId, Verified: false, context.Message.FailedAt, Reason: context.Message.Reason));
        return Task.CompletedTask;
    }
}
