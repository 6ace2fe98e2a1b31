using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace StarGuide.SampleBackend;

/// <summary>
/// <c>POST /api/auth/login</c> takes <c>{"user":"...","password":"..."}</c>, accepts any pair and answers a fake
/// bearer token; a body that is not such JSON is a 400 saying why. Anything else under <c>/api/auth/</c> echoes.
/// </summary>
internal static class AuthEndpoints
{
    private const string ExpectedBody = """{"user":"...","password":"..."}""";

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth");
        auth.MapPost("/login", LoginAsync);
        auth.Map("/{**rest}", EchoEndpoint.HandleAsync);
        return app;
    }

    private static async Task<IResult> LoginAsync(
        HttpRequest request, IOptions<SampleBackendOptions> options, CancellationToken cancellationToken)
    {
        LoginRequest? login;
        try
        {
            login = await JsonSerializer.DeserializeAsync<LoginRequest>(
                request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException exception)
        {
            return Problems.BadRequest($"The body must be JSON like {ExpectedBody}: {exception.Message}");
        }

        if (string.IsNullOrEmpty(login?.User) || string.IsNullOrEmpty(login.Password))
        {
            return Problems.BadRequest($"The body must be JSON like {ExpectedBody}, with both strings non-empty.");
        }

        var token = "fake-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return TypedResults.Ok(new LoginResponse(token, "Bearer", 3600, login.User, options.Value.InstanceId));
    }
}

internal sealed record LoginRequest(string? User, string? Password);

internal sealed record LoginResponse(string AccessToken, string TokenType, int ExpiresIn, string User, string Instance);
