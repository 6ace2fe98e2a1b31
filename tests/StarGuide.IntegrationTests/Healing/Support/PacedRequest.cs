namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>One request of a <see cref="PacedLoad"/>: when it was due (on the load's clock), how long it took from then, who answered.</summary>
internal readonly record struct PacedRequest(TimeSpan Due, TimeSpan Latency, string? Instance, bool Succeeded);
