using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace StarGuide.IntegrationTests.StatusPage.Support;

/// <summary>
/// Debian's chromium, headless, driven through Debian's chromedriver by Selenium. Both paths are given, so Selenium
/// never looks for (or downloads) a browser or driver of its own. Each browser has a profile folder of its own, so
/// tests can run side by side; disposing quits the browser and the driver and deletes the profile, also after a failure.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly ChromeDriverService _service;
    private readonly DirectoryInfo _profile;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, DirectoryInfo profile)
    {
        _service = service;
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    public static HeadlessChromium Start(int width = 1280, int height = 900)
    {
        foreach (var path in new[] { BrowserPath, DriverPath })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{path} is missing: the status page is tested in Debian's headless Chromium. Install it with "
                    + "'apt-get install -y chromium chromium-driver' (.ci/run does).");
            }
        }
        var profile = Directory.CreateTempSubdirectory("starguide-chromium-");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless=new",
            // Tests run as root here, where Chromium's sandbox refuses to start; the page is our own, on loopback.
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-extensions",
            $"--user-data-dir={profile.FullName}",
            $"--window-size={width},{height}");
        try
        {
            var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
            return new HeadlessChromium(service, driver, profile);
        }
        catch
        {
            service.Dispose();
            profile.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Renders as a phone would: 390 × 844 CSS pixels at twice the density, touch, mobile viewport rules.</summary>
    public void EmulatePhone() =>
        Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = 390, ["height"] = 844, ["deviceScaleFactor"] = 2, ["mobile"] = true,
        });

    /// <summary>Saves what the browser shows now as a PNG.</summary>
    public void SaveScreenshot(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Driver.GetScreenshot().SaveAsFile(path);
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        catch (WebDriverException)
        {
            // The browser is gone already; the driver service below still goes.
        }
        Driver.Dispose();
        _service.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A browser process still writing its profile as it exits: the folder is in the temp directory.
        }
    }
}
