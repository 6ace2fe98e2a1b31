using Microsoft.Extensions.DependencyInjection.Extensions;
using StarGuide.SampleBackend;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSampleBackendOptions();
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<RequestCounters>();
builder.Services.AddCpuUsageSampler();

var app = builder.Build();

// Outermost first: every response is stamped and counted, even a 400 from the burn check or a 404.
app.UseMiddleware<InstanceIdMiddleware>();
app.UseMiddleware<RequestCountingMiddleware>();
app.UseMiddleware<CpuBurnMiddleware>();

app.MapHealth();     // GET /api/health
app.MapMetrics();    // GET /api/metrics (Prometheus text)
app.MapAuth();       // POST /api/auth/login, anything else under /api/auth echoes
app.MapAi();         // /api/ai/** waits Sample:AiDelay or ?delayMs=N
app.MapEcho();       // /api/** echoes the request

app.Run();
