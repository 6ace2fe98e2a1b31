using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace StarGuide.AppHost.Management;

/// <summary>
/// The management tokens of one AppHost run: <c>operator</c> may operate, <c>viewer</c> may read. New random ones each
/// run unless <c>StarGuide:OperatorToken</c> / <c>StarGuide:ViewerToken</c> are given (scripts that want the same ones
/// every run). Written to <c>.data/operator.token</c> and <c>.data/viewer.token</c> beside the AppHost (readable by
/// the user alone) so that the README's curl lines can read them, and given to every service.
/// </summary>
internal sealed record RunTokens(string Operator, string Viewer, string OperatorFile, string ViewerFile)
{
    public const string OperatorName = "operator";
    public const string ViewerName = "viewer";

    public static RunTokens Create(IConfiguration configuration, string appHostDirectory)
    {
        var dataRoot = Path.Combine(appHostDirectory, ".data");
        Directory.CreateDirectory(dataRoot);
        var tokens = new RunTokens(
            Given(configuration, "OperatorToken") ?? NewToken(),
            Given(configuration, "ViewerToken") ?? NewToken(),
            Path.Combine(dataRoot, "operator.token"),
            Path.Combine(dataRoot, "viewer.token"));
        Write(tokens.OperatorFile, tokens.Operator);
        Write(tokens.ViewerFile, tokens.Viewer);
        return tokens;
    }

    /// <summary>The token files go with the run (the services that believed them have stopped).</summary>
    public void Remove()
    {
        File.Delete(OperatorFile);
        File.Delete(ViewerFile);
    }

    private static string? Given(IConfiguration configuration, string key) =>
        configuration[$"{AppHostSettings.SectionName}:{key}"] is { Length: > 0 } value
            ? value.Length >= 16 ? value : throw new InvalidOperationException($"{AppHostSettings.SectionName}:{key} must be at least 16 characters.")
            : null;

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static void Write(string path, string token)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var file = new FileStream(path, options);
        using var writer = new StreamWriter(file);
        writer.Write(token);
    }
}
