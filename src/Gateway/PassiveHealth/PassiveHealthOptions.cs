namespace StarGuide.Gateway.PassiveHealth;

/// <summary>What counts as a failed attempt for passive health (section <c>Gateway:PassiveHealth</c>).</summary>
/// <remarks>MaxFails and FailTimeout are per pool: <c>Pools:&lt;pool&gt;:MaxFails|FailTimeout</c>.</remarks>
internal sealed class PassiveHealthOptions
{
    public const string SectionName = "Gateway:PassiveHealth";

    /// <summary>
    /// Response status codes from an instance that count as a failure besides connection errors and timeouts (which
    /// always count), like nginx <c>proxy_next_upstream http_502 http_503 http_504</c>; none by default, as nginx.
    /// </summary>
    public int[] FailureStatusCodes { get; set; } = [];
}
