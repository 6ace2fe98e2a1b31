namespace StarGuide.AppHost.Management;

internal static class ManagementTokensExtensions
{
    /// <summary>Gives a service this run's two management tokens (<c>Management:Tokens:operator|viewer</c>).</summary>
    public static IResourceBuilder<T> WithManagementTokens<T>(this IResourceBuilder<T> service, RunTokens tokens)
        where T : IResourceWithEnvironment =>
        service
            .WithEnvironment($"Management__Tokens__{RunTokens.OperatorName}__Role", "operate")
            .WithEnvironment($"Management__Tokens__{RunTokens.OperatorName}__Token", tokens.Operator)
            .WithEnvironment($"Management__Tokens__{RunTokens.ViewerName}__Role", "read")
            .WithEnvironment($"Management__Tokens__{RunTokens.ViewerName}__Token", tokens.Viewer);
}
