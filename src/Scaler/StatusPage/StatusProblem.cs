namespace StarGuide.Scaler.StatusPage;

/// <summary>Something the scaler cannot reach, said on top of the page so that a stale page is never taken for a healthy one.</summary>
/// <param name="Dependency"><c>redis</c> or <c>rabbitmq</c>.</param>
internal sealed record StatusProblem(string Dependency, string Message);
