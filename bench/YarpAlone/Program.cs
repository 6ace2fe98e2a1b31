using System.Net;
using Yarp.ReverseProxy.Configuration;

// `dotnet StarGuide.Bench.YarpAlone.dll <port> <upstream address>`: every request to one upstream, no logging,
// no metrics, no middleware: what "YARP alone" costs on this machine.
if (args.Length != 2 || !int.TryParse(args[0], out var port) || !Uri.TryCreate(args[1], UriKind.Absolute, out var upstream))
{
    Console.Error.WriteLine("usage: StarGuide.Bench.YarpAlone <port> <upstream address>");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "/{**rest}" } }],
    [new ClusterConfig
    {
        ClusterId = "upstream",
        Destinations = new Dictionary<string, DestinationConfig> { ["upstream"] = new() { Address = upstream.ToString() } },
    }]);
var app = builder.Build();
app.MapReverseProxy();
app.Run();
return 0;
