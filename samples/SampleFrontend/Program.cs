using StarGuide.SampleFrontend;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSampleFrontendOptions();

var app = builder.Build();

app.UseMiddleware<InstanceIdMiddleware>(); // X-Instance-Id on every response, 404s included

// Files first, endpoints after: an existing file under wwwroot (e.g. /static/app.js) always wins over the
// endpoints below, which answer only for paths that are not a file.
app.UseStaticFiles();
app.UseRouting();

app.MapHealthz();        // GET /healthz
app.MapSinglePageApp();  // /static/** missing -> 404, /api/** -> 404, any other GET -> index.html

app.Run();
