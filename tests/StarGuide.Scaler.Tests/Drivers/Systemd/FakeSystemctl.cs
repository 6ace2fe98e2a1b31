namespace StarGuide.Scaler.Tests.Drivers.Systemd;

/// <summary>
/// A stand-in <c>systemctl</c> (systemd does not run on test machines): a bash script in its own temporary folder
/// that appends each call's arguments to <c>calls.log</c> and keeps each unit's state in <c>units/&lt;unit&gt;</c>
/// ("active running", "inactive dead"). It answers exactly the commands the driver issues: <c>start</c>,
/// <c>is-active</c>, <c>stop</c>, <c>kill</c> and <c>list-units --plain --no-legend --all PATTERN</c>.
/// <c>fail-start/&lt;unit&gt;</c> makes a start fail with that file's text on stderr; <c>hang-stop/&lt;unit&gt;</c> makes a
/// stop hang like a unit that ignores SIGTERM, until <c>kill</c> is called. <see cref="Hold"/> makes every call of a
/// verb wait, once logged, until <see cref="Release"/>: what another call does meanwhile (a second start listing the
/// units before the first one's unit is up) happens in an order the test chooses.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class FakeSystemctl : IDisposable
{
    private const string Script = """
        #!/bin/bash
        dir="$(dirname "$0")"
        echo "$*" >> "$dir/calls.log"
        [ "$1" = "--user" ] && shift
        verb="$1"; shift
        while [ -f "$dir/hold/$verb" ]; do sleep 0.02; done
        case "$verb" in
          start)
            if [ -f "$dir/fail-start/$1" ]; then cat "$dir/fail-start/$1" >&2; exit 1; fi
            echo "active running" > "$dir/units/$1" ;;
          is-active)
            state="inactive"; [ -f "$dir/units/$1" ] && state="$(cut -d' ' -f1 "$dir/units/$1")"
            echo "$state"; [ "$state" = "active" ] ;;
          stop)
            if [ -f "$dir/hang-stop/$1" ]; then
              while [ -f "$dir/hang-stop/$1" ]; do sleep 0.05; done
            fi
            [ -f "$dir/units/$1" ] && echo "inactive dead" > "$dir/units/$1"
            exit 0 ;;
          kill)
            rm -f "$dir/hang-stop/$2"
            [ -f "$dir/units/$2" ] && echo "inactive dead" > "$dir/units/$2"
            exit 0 ;;
          list-units)
            pattern="${@: -1}"
            for f in "$dir"/units/*; do
              [ -f "$f" ] || continue
              name="$(basename "$f")"
              [[ "$name" == $pattern ]] && echo "$name loaded $(cat "$f") Fake unit $name"
            done
            exit 0 ;;
          *) echo "fake systemctl: unknown verb $verb" >&2; exit 1 ;;
        esac
        """;

    public FakeSystemctl()
    {
        Directory = Path.Combine(Path.GetTempPath(), "starguide-tests", "systemctl-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var sub in new[] { "units", "fail-start", "hang-stop", "hold" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, sub));
        }

        ScriptPath = Path.Combine(Directory, "systemctl");
        File.WriteAllText(ScriptPath, Script.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(ScriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Directory { get; }

    /// <summary>The script, for <c>SystemctlPath</c>.</summary>
    public string ScriptPath { get; }

    /// <summary>Each call's arguments, space-separated, oldest first.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            var log = Path.Combine(Directory, "calls.log");
            return File.Exists(log) ? File.ReadAllLines(log) : [];
        }
    }

    public void ClearCalls() => File.Delete(Path.Combine(Directory, "calls.log"));

    public string? StateOf(string unit)
    {
        var file = Path.Combine(Directory, "units", unit);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    public void SetState(string unit, string state) => File.WriteAllText(Path.Combine(Directory, "units", unit), state + "\n");

    public void FailStart(string unit, string stderr) => File.WriteAllText(Path.Combine(Directory, "fail-start", unit), stderr + "\n");

    public void HangStop(string unit) => File.WriteAllText(Path.Combine(Directory, "hang-stop", unit), "");

    /// <summary>Calls of <paramref name="verb"/> (e.g. <c>start</c>) are logged, then wait until <see cref="Release"/>.</summary>
    public void Hold(string verb) => File.WriteAllText(Path.Combine(Directory, "hold", verb), "");

    public void Release(string verb) => File.Delete(Path.Combine(Directory, "hold", verb));

    /// <summary>Waits until the calls logged so far satisfy <paramref name="condition"/> (e.g. two held starts have arrived).</summary>
    public Task WaitForCallsAsync(Func<IReadOnlyList<string>, bool> condition, string what) =>
        StarGuide.Testing.Eventually.TrueAsync(() => condition(Calls), TimeSpan.FromSeconds(30),
            () => $"{what}; the calls were:\n{string.Join('\n', Calls)}");

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
