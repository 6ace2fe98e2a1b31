using System.Globalization;

namespace StarGuide.Scaler.Drivers.Process;

/// <summary>Fills <c>{port}</c>, <c>{id}</c>, <c>{index}</c> and <c>{pool}</c> in a command template value.</summary>
internal sealed record ProcessTemplate(string Pool, string InstanceId, int Index, int Port)
{
    public string Fill(string value) => value
        .Replace("{port}", Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{id}", InstanceId, StringComparison.Ordinal)
        .Replace("{index}", Index.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{pool}", Pool, StringComparison.Ordinal);
}
