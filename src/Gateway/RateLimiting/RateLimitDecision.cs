namespace StarGuide.Gateway.RateLimiting;

/// <summary>Whether a request is admitted; when not, how long until one would be (milliseconds).</summary>
internal readonly record struct RateLimitDecision(bool Allowed, long RetryAfterMs);
