namespace StarGuide.SampleFrontend;

/// <summary>
/// A public type that names this assembly, for <c>WebApplicationFactory&lt;SampleFrontendMarker&gt;</c> in tests:
/// the top-level <c>Program</c> of both sample apps lives in the global namespace, so one test assembly could not
/// tell them apart.
/// </summary>
public sealed class SampleFrontendMarker;
