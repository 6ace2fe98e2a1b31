using System.Collections.Concurrent;
using StarGuide.BackupService.Messaging;
using StarGuide.Contracts;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>The events a runner announced, in order.</summary>
internal sealed class RecordingEvents : IBackupEvents
{
    private readonly ConcurrentQueue<object> _events = new();

    public IReadOnlyList<object> All => [.. _events];

    public IReadOnlyList<BackupCompleted> Completed => [.. _events.OfType<BackupCompleted>()];

    public IReadOnlyList<BackupFailed> Failed => [.. _events.OfType<BackupFailed>()];

    public void Announce(object message) => _events.Enqueue(message);
}
