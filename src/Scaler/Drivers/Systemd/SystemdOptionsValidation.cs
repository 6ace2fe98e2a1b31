
namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>The checks behind <see cref="SystemdDriverFactory.Validate"/>, each message naming its key.</summary>
internal static class SystemdOptionsValidation
{
    public static IEnumerable<string> Problems(string key, string pool, PoolDriverOptions poolOptions)
    {
        var options = poolOptions.Systemd;
        if (string.IsNullOrWhiteSpace(options.Unit))
        {
            yield return $"{key}:Unit is required. Example: starguide-backend@{{index}}.service.";
        }
        else if (!options.Unit.Contains("{index}", StringComparison.Ordinal))
        {
            yield return $"{key}:Unit '{options.Unit}' must contain {{index}}, the instance's slot.";
        }

        if (options.Slots < 1)
        {
            yield return $"{key}:Slots must be at least 1 (it is {options.Slots}).";
        }
        else if (options.Slots < poolOptions.MaxInstances)
        {
            yield return $"{key}:Slots ({options.Slots}) must be at least the pool's MaxInstances ({poolOptions.MaxInstances}).";
        }

        foreach (var problem in AddressProblems(key, pool, options))
        {
            yield return problem;
        }

        if (string.IsNullOrWhiteSpace(options.SystemctlPath))
        {
            yield return $"{key}:SystemctlPath is required. Default: systemctl.";
        }

        if (options.CommandTimeout <= TimeSpan.Zero)
        {
            yield return $"{key}:CommandTimeout must be positive (it is {options.CommandTimeout}).";
        }
    }

    private static IEnumerable<string> AddressProblems(string key, string pool, SystemdDriverOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Address))
        {
            yield return $"{key}:Address is required. Example: http://127.0.0.1:800{{index}} for the seed's --port 800%i.";
            yield break;
        }

        if (!options.Address.Contains("{index}", StringComparison.Ordinal))
        {
            yield return $"{key}:Address '{options.Address}' must contain {{index}}: each slot needs its own address.";
            yield break;
        }

        var template = new UnitTemplate(pool, options);
        foreach (var slot in new[] { 1, Math.Max(1, options.Slots) }.Distinct())
        {
            var address = template.AddressText(slot);
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return $"{key}:Address gives '{address}' for slot {slot}, which is not an absolute http(s) address.";
                yield break;
            }
        }
    }
}
