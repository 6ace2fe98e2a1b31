using System.Text.Json;
using OpenQA.Selenium;

namespace StarGuide.IntegrationTests.StatusPage.Support;

/// <summary>
/// What the status page shows at one moment, read from the DOM in one script call (the page redraws every second, so
/// element handles held across calls would go stale).
/// </summary>
internal sealed record StatusPageView(
    string Connection,
    bool Stale,
    IReadOnlyList<StatusPageView.Problem> Problems,
    IReadOnlyList<StatusPageView.Instance> Instances,
    IReadOnlyList<StatusPageView.Activity> Events,
    IReadOnlyList<StatusPageView.Backup> Backups)
{
    private const string Script = """
        const text = (e, s) => (e.querySelector(s)?.textContent ?? '').trim();
        return JSON.stringify({
          connection: document.getElementById('connection').dataset.state,
          stale: document.body.classList.contains('stale'),
          problems: [...document.querySelectorAll('#problems p')].map(p => ({ dependency: p.dataset.dependency, text: p.textContent })),
          instances: [...document.querySelectorAll('article.pool tr[data-instance]')].map(r => ({
            pool: r.closest('article').dataset.pool, id: r.dataset.instance, state: r.dataset.state,
            address: text(r, '.address'), inFlight: text(r, '.in-flight') })),
          events: [...document.querySelectorAll('#activity li[data-kind]')].map(l => ({
            kind: l.dataset.kind, instance: l.dataset.instance ?? null, text: text(l, '.text') })),
          backups: [...document.querySelectorAll('#backups tr[data-backup]')].map(r => ({
            id: r.dataset.backup, verified: r.dataset.verified === 'true', text: r.textContent })),
        });
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static StatusPageView Read(IWebDriver driver) =>
        JsonSerializer.Deserialize<StatusPageView>((string)((IJavaScriptExecutor)driver).ExecuteScript(Script)!, Json)!;

    public override string ToString() =>
        $"connection {Connection}{(Stale ? " (stale)" : "")}; problems: [{string.Join(" | ", Problems.Select(p => $"{p.Dependency}: {p.Text}"))}]; "
        + $"instances: [{string.Join(", ", Instances.Select(i => $"{i.Id} {i.State} in flight {i.InFlight}"))}]; "
        + $"events: [{string.Join(" | ", Events.Take(8).Select(e => $"{e.Kind} {e.Text}"))}]; backups: {Backups.Count}";

    internal sealed record Problem(string Dependency, string Text);

    internal sealed record Instance(string Pool, string Id, string State, string Address, string InFlight);

    internal sealed record Activity(string Kind, string? Instance, string Text);

    internal sealed record Backup(string Id, bool Verified, string Text);
}
