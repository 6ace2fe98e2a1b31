namespace StarGuide.Scaler.Http;

/// <summary>
/// <c>POST /pools/{pool}/scale</c>: a desired size now, and/or a floor and ceiling that hold until cleared.
/// E.g. <c>{"desired": 3}</c>, <c>{"floor": 2, "ceiling": 4}</c>, <c>{"clear": true}</c>.
/// Who asked is the authenticated caller (<c>ManagementCaller</c>), not a field of the body.
/// </summary>
internal sealed record ScaleBody(int? Desired, int? Floor, int? Ceiling, bool Clear);
