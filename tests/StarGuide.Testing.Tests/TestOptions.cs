namespace StarGuide.Testing.Tests;

/// <summary>Resolution options that see only the variables given, not the process environment.</summary>
internal static class TestOptions
{
    internal static ResolutionOptions Local { get; } = With((ResolutionOptions.ServersVariable, "local"));

    internal static ResolutionOptions Containers { get; } = With((ResolutionOptions.ServersVariable, "containers"));

    internal static ResolutionOptions With(params (string Name, string Value)[] variables) =>
        new(name => variables.FirstOrDefault(v => v.Name == name).Value);
}
