// The fast upstream of bench/gateway-vs-nginx.sh: GET /api/{**} answers 200 with a fixed ~100-byte JSON body,
// so that what the benchmark measures is the proxy in front of it. Usage: dotnet StarGuide.Bench.Upstream.dll PORT
using System.Net;

if (args.Length != 1 || !int.TryParse(args[0], out var port))
{
    Console.Error.WriteLine("usage: StarGuide.Bench.Upstream PORT");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));

var app = builder.Build();
var body = """{"service":"starguide-bench-upstream","status":"ok","items":[1,2,3,4,5],"note":"fixed body"}"""u8.ToArray();
app.MapGet("/api/{**rest}", (HttpContext context) =>
{
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
});
app.Run();
return 0;
