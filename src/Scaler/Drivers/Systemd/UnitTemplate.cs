using System.Globalization;
using System.Text.RegularExpressions;

namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>The unit name and address of each slot, from <see cref="SystemdDriverOptions.Unit"/> and <see cref="SystemdDriverOptions.Address"/>.</summary>
internal sealed class UnitTemplate
{
    private const string Index = "{index}";
    private readonly string _unit;
    private readonly string _address;
    private readonly Regex _slot;

    public UnitTemplate(string pool, SystemdDriverOptions options)
    {
        _unit = options.Unit.Replace("{pool}", pool, StringComparison.Ordinal);
        _address = options.Address.Replace("{pool}", pool, StringComparison.Ordinal);
        Pattern = _unit.Replace(Index, "*", StringComparison.Ordinal);
        var parts = _unit.Split(Index).Select(Regex.Escape);
        _slot = new Regex("^" + string.Join("([1-9][0-9]{0,8})", parts) + "$", RegexOptions.CultureInvariant);
    }

    /// <summary>The glob that <c>systemctl list-units</c> matches every slot's unit with, e.g. <c>starguide-backend@*.service</c>.</summary>
    public string Pattern { get; }

    public string Unit(int slot) => Fill(_unit, slot);

    public string AddressText(int slot) => Fill(_address, slot);

    public Uri Address(int slot) => new(AddressText(slot));

    /// <summary>The slot of a unit name that this template makes (the pattern also matches names it does not make).</summary>
    public bool TryParseSlot(string unit, out int slot)
    {
        var match = _slot.Match(unit);
        slot = 0;
        // Every {index} in the template must carry the same number.
        return match.Success
            && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out slot)
            && match.Groups.Values.Skip(1).All(g => g.Value == match.Groups[1].Value);
    }

    private static string Fill(string template, int slot) =>
        template.Replace(Index, slot.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
