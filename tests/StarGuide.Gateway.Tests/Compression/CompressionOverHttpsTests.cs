using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Compression;

/// <summary>Over HTTPS, compression follows Gateway:Compression:EnableForHttps (on by default, as nginx).</summary>
public sealed class CompressionOverHttpsTests(TestCertificates certificates) : IClassFixture<TestCertificates>
{
    private static readonly byte[] LargeText = Encoding.ASCII.GetBytes(new string('x', 20 * 1024));

    [Theory]
    [InlineData(null, "gzip")]
    [InlineData("false", null)]
    public async Task Https_responses_are_compressed_unless_turned_off(string? enableForHttps, string? expected)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(respond: context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = LargeText.Length;
            return context.Response.Body.WriteAsync(LargeText).AsTask();
        });
        var httpsPort = FreePort.Next();
        var settings = GatewaySettings.Pools(upstream.Address);
        settings["Gateway:Tls:CertificatePath"] = certificates.CertificatePath;
        settings["Gateway:Tls:KeyPath"] = certificates.KeyPath;
        settings["Gateway:Tls:HttpsPort"] = httpsPort.ToString(CultureInfo.InvariantCulture);
        settings["Gateway:Tls:HttpPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        if (enableForHttps is not null)
        {
            settings["Gateway:Compression:EnableForHttps"] = enableForHttps;
        }
        await using var gateway = KestrelGateway.Start(settings);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://localhost:{httpsPort}/api/text");
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        using var response = await client.SendAsync(request);

        Assert.Equal(expected is null ? [] : [expected], response.Content.Headers.ContentEncoding);
    }
}
