using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

// `dotnet StarGuide.Bench.ChaosLoad.dll <address> <requests per second> <seconds> <out.csv>`: open-loop load for
// bench/chaos.sh. Request i is due at start + i / rate whatever happened to the ones before it, and its latency is
// counted from when it was due, not from when it was sent (no coordinated omission: a stall delays every request due
// during it, and each of them counts the wait). The mix, by position in a fixed cycle of 10: 4 GET /api/stars
// (idempotent), 2 POST /api/orders (not), 2 GET /static/app.js, 2 GET /. One line per request in the CSV:
// due_ms,kind,status,latency_ms,instance,error (status 0: no response; error names the exception); and <out.csv>.start:
// the Unix time (ms) when request 0 was due.
var invariant = CultureInfo.InvariantCulture;
if (args.Length != 4 || !Uri.TryCreate(args[0], UriKind.Absolute, out var address)
    || !double.TryParse(args[1], invariant, out var rate) || rate <= 0
    || !int.TryParse(args[2], invariant, out var seconds) || seconds <= 0)
{
    Console.Error.WriteLine("usage: StarGuide.Bench.ChaosLoad <address> <requests per second> <seconds> <out.csv>");
    return 2;
}

var handler = new SocketsHttpHandler
{
    // A client that reconnects now and then, like browsers behind a load balancer, so that a replaced gateway replica
    // gets its share; no automatic retries of its own beyond what HttpClient does for a dead kept-alive connection.
    PooledConnectionLifetime = TimeSpan.FromSeconds(20),
    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
    MaxConnectionsPerServer = 512,
    ConnectTimeout = TimeSpan.FromSeconds(5),
    AutomaticDecompression = DecompressionMethods.None,
};
using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
string[] kinds = ["get-api", "get-api", "post-api", "get-static", "get-api", "get-root", "post-api", "get-api", "get-static", "get-root"];
var total = (int)(rate * seconds);
var results = new Result[total];
var clock = Stopwatch.StartNew();
// When request 0 was due, for lining the requests up with the faults (bench/chaos.sh) and the pools' samples.
await File.WriteAllTextAsync(args[3] + ".start", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(invariant));
var inFlight = new List<Task>(total);
var body = Encoding.UTF8.GetBytes("""{"item":"telescope","quantity":1}""");

for (var i = 0; i < total; i++)
{
    var dueMs = i * 1000.0 / rate;
    var wait = dueMs - clock.Elapsed.TotalMilliseconds;
    if (wait > 2)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(wait - 1));
    }
    while (clock.Elapsed.TotalMilliseconds < dueMs)
    {
        Thread.SpinWait(50);
    }
    inFlight.Add(SendAsync(i, dueMs, kinds[i % kinds.Length]));
}
await Task.WhenAll(inFlight);

await using (var output = new StreamWriter(args[3]))
{
    await output.WriteLineAsync("due_ms,kind,status,latency_ms,instance,error");
    foreach (var r in results)
    {
        await output.WriteLineAsync(string.Create(invariant, $"{r.DueMs:F1},{r.Kind},{r.Status},{r.LatencyMs:F2},{r.Instance},{r.Error}"));
    }
}
var failed = results.Count(r => r.Status is 0 or >= 500);
Console.WriteLine(string.Create(invariant, $"chaos-load: {total} requests in {clock.Elapsed.TotalSeconds:F0} s, {failed} failed (5xx or no answer)"));
return 0;

async Task SendAsync(int index, double dueMs, string kind)
{
    await Task.Yield(); // the scheduling loop goes on at once
    using var request = kind switch
    {
        "get-api" => new HttpRequestMessage(HttpMethod.Get, "/api/stars"),
        "post-api" => new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } } },
        "get-static" => new HttpRequestMessage(HttpMethod.Get, "/static/app.js"),
        _ => new HttpRequestMessage(HttpMethod.Get, "/"),
    };
    int status;
    string instance = "", error = "";
    try
    {
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        status = (int)response.StatusCode;
        instance = response.Headers.TryGetValues("X-Instance-Id", out var values) ? values.First() : "";
    }
    catch (Exception ex)
    {
        status = 0;
        error = (ex.InnerException ?? ex).GetType().Name;
    }
    results[index] = new Result(dueMs, kind, status, clock.Elapsed.TotalMilliseconds - dueMs, instance.Replace(',', ';'), error);
}

internal readonly record struct Result(double DueMs, string Kind, int Status, double LatencyMs, string Instance, string Error);
