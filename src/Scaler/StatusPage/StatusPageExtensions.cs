using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults.Management;

namespace StarGuide.Scaler.StatusPage;

internal static class StatusPageExtensions
{
    /// <summary>How often an open page gets the state when nothing happened (ages, in-flight requests, Redis and broker).</summary>
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    /// <summary>The operator status page: what it shows is built by <see cref="StatusBoard"/>; the pools record into <see cref="RecentActivity"/>.</summary>
    public static WebApplicationBuilder AddStatusPage(this WebApplicationBuilder builder)
    {
        // What the pools did lately; kept whether a page is open or not.
        builder.Services.AddSingleton<RecentActivity>();
        builder.Services.AddSingleton<IPoolActivity>(sp => sp.GetRequiredService<RecentActivity>());
        builder.Services.AddSingleton<StatusPageAssets>();
        builder.Services.AddSingleton<DependencyProbe>();
        builder.Services.AddSingleton<StatusBoard>();
        return builder;
    }

    /// <summary>
    /// <c>GET /status</c>: the page; <c>/status/state</c>: what it shows, as JSON; <c>/status/events</c>: the same, pushed
    /// as server-sent events every second and at once after a pool event or backup. They need a management token that
    /// may read, from <c>Management:AllowedNetworks</c>: as a Bearer header, or in a browser the cookie that
    /// <see cref="StatusPageLogin"/> sets (from its form, or once from <c>/status?token=…</c>).
    /// </summary>
    public static WebApplication MapStatusPage(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<StatusPageAssets>(); // a build without the assets fails at start, not at the first visit
        var page = app.MapGroup("/status").AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-store";
            return await next(context);
        });
        page.MapStatusPageLogin();
        var status = page.MapGroup("").RequireManagement(ManagementRole.Read, "the status page is", StatusPageLogin.CookieName);
        status.MapGet("/state", async (StatusBoard board, CancellationToken cancellationToken) => Results.Ok(await board.CurrentAsync(cancellationToken)));
        status.MapGet("/events", (StatusBoard board, RecentActivity activity, IHostApplicationLifetime lifetime, HttpContext context) =>
            TypedResults.ServerSentEvents(Stream(board, activity, lifetime.ApplicationStopping, context.RequestAborted)));
        return app;
    }

    private static async IAsyncEnumerable<SseItem<StatusSnapshot>> Stream(
        StatusBoard board, RecentActivity activity, CancellationToken stopping, [EnumeratorCancellation] CancellationToken aborted)
    {
        // Shutdown ends the stream too: an open page must not hold a stopping scaler for the host's shutdown timeout.
        using var end = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborted);
        while (!end.IsCancellationRequested)
        {
            var changed = activity.Changed;
            StatusSnapshot snapshot;
            try
            {
                snapshot = await board.CurrentAsync(end.Token);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            // A page that lost the connection asks again after 2 s (the browser's own default is longer).
            yield return new SseItem<StatusSnapshot>(snapshot, "status") { ReconnectionInterval = TimeSpan.FromSeconds(2) };
            try
            {
                await changed.WaitAsync(Refresh, end.Token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
