using Xunit;

namespace StarGuide.Testing;

/// <summary>
/// Which <see cref="Need"/>s this run requires, from the environment:
/// <list type="bullet">
/// <item><c>STARGUIDE_CI=1</c> (or <c>true</c>): every need CI's machine provides (<see cref="Need.ProvidedByCi"/>);</item>
/// <item><c>STARGUIDE_REQUIRE=name,…</c>: these needs too;</item>
/// <item><c>STARGUIDE_ALLOW_SKIP=name,…</c>: these may skip all the same (e.g. <c>docker</c> on a CI machine where
/// .ci/docker-engine.sh could not start an engine);</item>
/// <item><c>STARGUIDE_SKIP_LOG=path</c>: each skip also appends its message, one line, to that file (the console logger of
/// <c>dotnet test</c> prints skip reasons only at normal verbosity).</item>
/// </list>
/// A name that is no need's, or another value of STARGUIDE_CI, fails the test that asks, naming the variable.
/// </summary>
public sealed class NeedPolicy(Func<string, string?> getEnvironmentVariable)
{
    public const string CiVariable = "STARGUIDE_CI";
    public const string RequireVariable = "STARGUIDE_REQUIRE";
    public const string AllowSkipVariable = "STARGUIDE_ALLOW_SKIP";
    public const string SkipLogVariable = "STARGUIDE_SKIP_LOG";

    /// <summary>The start of every skip message, before the need's name.</summary>
    public const string SkipPrefix = "skip: ";

    private static readonly Lock _logGate = new();

    public static NeedPolicy Default { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Whether a test that lacks <paramref name="need"/> fails (true) or skips.</summary>
    /// <exception cref="InvalidOperationException">A variable has a value it cannot have.</exception>
    public bool Requires(Need need)
    {
        var ci = Read(CiVariable)?.ToLowerInvariant() switch
        {
            null or "0" or "false" => false,
            "1" or "true" => true,
            var other => throw new InvalidOperationException($"{CiVariable} must be 1 or true (or 0, false, unset), but is '{other}'."),
        };
        // Both lists are read every time, so that a misspelt name fails whichever need a test asks about.
        var required = Names(RequireVariable);
        var allowed = Names(AllowSkipVariable);
        return (ci && need.ProvidedByCi || required.Contains(need.Name)) && !allowed.Contains(need.Name);
    }

    /// <summary>Nothing when <paramref name="problem"/> is null; else a skip, or a failure where the need is required.</summary>
    /// <exception cref="SkipException">The need is not met and not required.</exception>
    /// <exception cref="NeedMissingException">The need is not met and this run requires it.</exception>
    public void Check(Need need, string? problem)
    {
        if (problem is null)
        {
            return;
        }
        if (Requires(need))
        {
            throw new NeedMissingException(
                $"this run requires {need.Name} ({Why(need)}), but: {problem}. "
                + $"Fix that, or let tests skip for it with {AllowSkipVariable}={need.Name}.");
        }
        var message = SkipPrefix + need.Name + ": " + problem;
        if (Read(SkipLogVariable) is { } log)
        {
            lock (_logGate)
            {
                File.AppendAllText(log, message.ReplaceLineEndings(" ") + "\n");
            }
        }
        throw new SkipException(message);
    }

    private string Why(Need need) =>
        Names(RequireVariable).Contains(need.Name) ? $"{RequireVariable} names it" : $"{CiVariable}=1, and CI's machine has it";

    private HashSet<string> Names(string variable)
    {
        var names = (Read(variable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (names.FirstOrDefault(n => Need.All.All(need => need.Name != n)) is { } unknown)
        {
            throw new InvalidOperationException(
                $"{variable} names '{unknown}', which is none of the needs: {string.Join(", ", Need.All.Select(n => n.Name))}.");
        }
        return names;
    }

    private string? Read(string name) => getEnvironmentVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

/// <summary>A test lacks something that this run says the machine has (<see cref="NeedPolicy"/>).</summary>
public sealed class NeedMissingException(string message) : Exception(message);
