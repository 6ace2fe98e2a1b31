namespace StarGuide.Scaler.Http;

/// <summary>
/// <c>POST /pools/{pool}/scale</c>: a desired size now, and/or a floor and ceiling that hold until cleared.
/// E.g. <c>{"desired": 3}</c>, <c>{"floor": 2, "ceiling": 4, "by": "alice"}</c>, <c>{"clear": true}</c>.
/// </summary>
internal sealed record ScaleBody(int? Desired, int? Floor, int? Ceiling, bool Clear, string? By);
