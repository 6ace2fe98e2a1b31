using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace StarGuide.SampleApps.Tests;

public sealed class BackendEndpointTests(BackendFactory factory) : IClassFixture<BackendFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Health_returns_healthy_and_the_instance_id()
    {
        using var response = await _client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(BackendFactory.InstanceId, body.GetProperty("instance").GetString());
        Assert.Equal(BackendFactory.InstanceId, response.InstanceHeader());
    }

    [Fact]
    public async Task Echo_returns_method_path_query_headers_body_length_and_the_instance_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/orders/42?tag=a&tag=b");
        request.Headers.Add("X-Demo", "hello");
        request.Content = new StringContent("12345", Encoding.UTF8, "text/plain");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BackendFactory.InstanceId, response.InstanceHeader());
        var body = await response.ReadJsonAsync();
        Assert.Equal(BackendFactory.InstanceId, body.GetProperty("instance").GetString());
        Assert.Equal("PUT", body.GetProperty("method").GetString());
        Assert.Equal("/api/orders/42", body.GetProperty("path").GetString());
        Assert.Equal("a,b", body.GetProperty("query").GetProperty("tag").GetString());
        Assert.Equal("hello", body.GetProperty("headers").GetProperty("X-Demo").GetString());
        Assert.Equal(5, body.GetProperty("bodyLength").GetInt64());
    }

    [Fact]
    public async Task Unknown_path_outside_api_is_404_with_the_instance_header()
    {
        using var response = await _client.GetAsync(new Uri("/nowhere", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(BackendFactory.InstanceId, response.InstanceHeader());
    }

    [Fact]
    public async Task Login_with_user_and_password_returns_a_fake_bearer_token()
    {
        using var response = await _client.PostAsJsonAsync(
            new Uri("/api/auth/login", UriKind.Relative), new { user = "ada", password = "secret" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.StartsWith("fake-", body.GetProperty("accessToken").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal("ada", body.GetProperty("user").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"user\":")]
    [InlineData("{}")]
    [InlineData("{\"user\":\"ada\"}")]
    [InlineData("{\"user\":42,\"password\":\"secret\"}")]
    public async Task Login_with_a_malformed_body_is_400_with_a_message(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri("/api/auth/login", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(BackendFactory.InstanceId, response.InstanceHeader());
        var body = await response.ReadJsonAsync();
        Assert.Contains("\"user\"", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_auth_paths_echo()
    {
        using var response = await _client.GetAsync(new Uri("/api/auth/login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("GET", body.GetProperty("method").GetString());
        Assert.Equal("/api/auth/login", body.GetProperty("path").GetString());
    }
}
