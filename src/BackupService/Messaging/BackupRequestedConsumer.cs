using MassTransit;
using StarGuide.BackupService.Backups;
using StarGuide.Contracts;

namespace StarGuide.BackupService.Messaging;

/// <summary>
/// Runs the requested backup, waiting behind one that is running (requests queue, none is refused). Idempotent: a
/// redelivered or repeated <see cref="BackupRequested.BackupId"/> does not make a second backup. The outcome is
/// announced as <c>BackupCompleted</c> or <c>BackupFailed</c>, so the consumer itself does not fault on a failed backup.
/// </summary>
internal sealed class BackupRequestedConsumer(BackupRunner runner) : IConsumer<BackupRequested>
{
    public Task Consume(ConsumeContext<BackupRequested> context) =>
        runner.RunAsync(context.Message.BackupId, context.Message.RequestedBy, context.CancellationToken);
}
