using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Compression;

/// <summary>brotli and gzip for the seed's types above nginx's gzip_min_length, with gzip_vary.</summary>
public sealed class CompressionTests : IAsyncLifetime
{
    /// <summary>20 KiB of JSON: above the 10240-byte minimum.</summary>
    private static readonly byte[] LargeJson = Encoding.UTF8.GetBytes(
        "[" + string.Join(",", Enumerable.Range(0, 800).Select(i => $"{{\"id\":{i},\"name\":\"star {i}\"}}")) + "]");

    private ScriptedUpstream? _upstream;
    private KestrelGateway? _gateway;

    public async Task InitializeAsync()
    {
        _upstream = await ScriptedUpstream.StartAsync(respond: Respond);
        _gateway = KestrelGateway.Start(GatewaySettings.Pools(_upstream.Address));
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br", "br")]
    public async Task A_large_json_response_is_compressed_with_the_encoding_the_client_accepts(string accept, string expected)
    {
        using var response = await GetAsync("/api/large", accept);

        Assert.Equal([expected], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(LargeJson, Decompress(expected, await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_response_whose_content_length_is_below_the_minimum_is_sent_as_is()
    {
        using var response = await GetAsync("/api/small", "gzip, br");

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(1000, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_response_without_content_length_is_compressed_whatever_its_size()
    {
        using var response = await GetAsync("/api/small-chunked", "gzip");

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal(new byte[1000], Decompress("gzip", await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_type_outside_the_list_is_not_compressed()
    {
        using var response = await GetAsync("/api/image", "gzip, br");

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.DoesNotContain("Accept-Encoding", response.Headers.Vary);
    }

    [Fact]
    public async Task A_response_the_upstream_already_encoded_is_passed_through_untouched()
    {
        using var response = await GetAsync("/api/pre-gzipped", "gzip, br");

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal(Gzip(LargeJson), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_client_that_accepts_no_encoding_gets_identity_and_the_vary_header()
    {
        using var response = await GetAsync("/api/large", accept: null);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(LargeJson, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Configured_types_replace_the_default_list()
    {
        var settings = GatewaySettings.Pools(_upstream!.Address);
        settings["Gateway:Compression:MimeTypes:0"] = "image/png";
        await using var gateway = KestrelGateway.Start(settings);
        using var client = gateway.CreateClient();

        using var image = await GetAsync(client, "/api/image", "gzip");
        using var json = await GetAsync(client, "/api/large", "gzip");

        Assert.Equal(["gzip"], image.Content.Headers.ContentEncoding);
        Assert.Empty(json.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Compression_can_be_turned_off()
    {
        var settings = GatewaySettings.Pools(_upstream!.Address);
        settings["Gateway:Compression:Enabled"] = "false";
        await using var gateway = KestrelGateway.Start(settings);
        using var client = gateway.CreateClient();

        using var response = await GetAsync(client, "/api/large", "gzip, br");

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(LargeJson.Length, response.Content.Headers.ContentLength);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept)
    {
        using var client = _gateway!.CreateClient();
        return await GetAsync(client, path, accept);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(accept);
        }
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response;
    }

    private static Task Respond(HttpContext context)
    {
        var response = context.Response;
        switch (context.Request.Path.Value)
        {
            case "/api/large":
                return Write(response, "application/json; charset=utf-8", LargeJson);
            case "/api/small":
                return Write(response, "application/json", new byte[1000]);
            case "/api/small-chunked":
                response.ContentType = "text/plain";
                return response.Body.WriteAsync(new byte[1000]).AsTask();
            case "/api/image":
                return Write(response, "image/png", new byte[LargeJson.Length]);
            case "/api/pre-gzipped":
                response.Headers.ContentEncoding = "gzip";
                return Write(response, "application/json", Gzip(LargeJson));
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
        }
    }

    private static Task Write(HttpResponse response, string contentType, byte[] body)
    {
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Decompress(string encoding, byte[] data)
    {
        using var input = new MemoryStream(data);
        using Stream decoder = encoding == "br"
            ? new BrotliStream(input, CompressionMode.Decompress)
            : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
