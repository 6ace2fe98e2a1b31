namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>One successful request of a <see cref="LoadRun"/>: when it was sent and answered (on the run's clock), and by whom.</summary>
internal readonly record struct LoadAnswer(TimeSpan Sent, TimeSpan Answered, string Instance);
