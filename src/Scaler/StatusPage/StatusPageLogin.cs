using StarGuide.ServiceDefaults.Management;

namespace StarGuide.Scaler.StatusPage;

/// <summary>
/// How a browser gets onto the status page: a sign-in form, or <c>/status?token=…</c> once (the link the AppHost
/// prints), each of which sets an HttpOnly, SameSite=Strict cookie holding the token and redirects to <c>/status</c>,
/// so the token does not stay in the address bar or history. The cookie is read on GET under <c>/status</c> only
/// (<see cref="ManagementAccess.Authorize"/>): it can show the page, never change anything.
/// </summary>
internal static class StatusPageLogin
{
    public const string CookieName = "starguide-status";
    private const string What = "the status page is";

    public static RouteGroupBuilder MapStatusPageLogin(this RouteGroupBuilder page)
    {
        page.MapGet("/", Index);
        page.MapGet("/login", (HttpContext context, ManagementAccess access, StatusPageAssets assets) =>
            access.CheckPlace(context, What) is { } refused ? Refusal(refused) : assets.Login(null, StatusCodes.Status200OK));
        page.MapPost("/login", LoginAsync);
        // The script and style are the same for everyone and the sign-in page needs the style.
        page.MapGet("/{asset:regex(^status\\.(css|js)$)}", (string asset, HttpContext context, ManagementAccess access, StatusPageAssets assets) =>
            access.CheckPlace(context, What) is { } refused ? Refusal(refused) : assets.Serve(asset));
        return page;
    }

    private static IResult Index(HttpContext context, ManagementAccess access, StatusPageAssets assets)
    {
        if (context.Request.Query["token"] is [{ } token])
        {
            return access.CheckPlace(context, What) is { } refused ? Refusal(refused) : SignIn(context, access, assets, token);
        }
        var decision = access.Authorize(context, ManagementRole.Read, What, CookieName);
        return decision switch
        {
            { Allowed: true } => assets.Serve("index.html"),
            { StatusCode: StatusCodes.Status401Unauthorized } => Results.Redirect("/status/login"),
            _ => Refusal(decision),
        };
    }

    private static async Task<IResult> LoginAsync(HttpContext context, ManagementAccess access, StatusPageAssets assets)
    {
        if (access.CheckPlace(context, What) is { } refused)
        {
            return Refusal(refused);
        }
        if (!context.Request.HasFormContentType)
        {
            return assets.Login("Sign in with the form.", StatusCodes.Status400BadRequest);
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return SignIn(context, access, assets, form["token"].ToString());
    }

    private static IResult SignIn(HttpContext context, ManagementAccess access, StatusPageAssets assets, string token)
    {
        if (access.Find(token) is null)
        {
            return assets.Login("That is not a management token of this scaler.", StatusCodes.Status401Unauthorized);
        }
        context.Response.Cookies.Append(CookieName, token.Trim(), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/status",
        });
        context.Response.Headers.Location = "/status";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static IResult Refusal(ManagementDecision decision) => decision.AsResult();
}
