using Microsoft.Playwright;

namespace ServiceReach.Api.Tests;

/// <summary>
/// The web map in Debian's Chromium (headless, no sandbox), driven by Playwright: open the demo region, click a kern and
/// read its advice, draw an isochrone. Screenshots go to TestResults/screenshots next to the test binary (CI artefacts).
/// </summary>
public sealed class BrowserTests(ApiFixture fx)
{
    private static string RequireChromium()
    {
        // /usr/bin/chromium is Debian's wrapper script; Playwright drives the binary behind it best.
        foreach (var p in new[] { "/usr/lib/chromium/chromium", "/usr/bin/chromium" })
        {
            if (File.Exists(p)) return p;
        }
        Assert.Skip("Chromium is not installed (/usr/bin/chromium); run scripts/install-test-tools.sh as root (apt-get install chromium) to enable the browser tests.");
        return "";
    }

    public static string ScreenshotFolder
    {
        get
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    private static async Task<(IPlaywright, IBrowser)> Launch()
    {
        var exe = RequireChromium();
        var pw = await Playwright.CreateAsync();
        var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = exe,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run",
                    "--disable-extensions", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
        });
        return (pw, browser);
    }

    private static async Task<IPage> OpenMap(IBrowser browser, string url)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        // Generous: software WebGL on 2 busy cores (all test assemblies run at once in CI) can take a while; only failures wait this long.
        page.SetDefaultTimeout(180_000);
        var external = new List<string>();
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(url, StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal) && !r.Url.StartsWith("blob:", StringComparison.Ordinal))
                external.Add(r.Url);
        };
        await page.GotoAsync(url + "/");
        await page.WaitForFunctionAsync("() => document.body.dataset.ready === '1' || document.body.dataset.error", null, new PageWaitForFunctionOptions { Timeout = 180_000 });
        Assert.Null(await page.EvaluateAsync<string?>("() => document.body.dataset.error || null"));
        await page.WaitForFunctionAsync("() => window.srMap.loaded() && window.srMap.areTilesLoaded()", null, new PageWaitForFunctionOptions { Timeout = 180_000 });
        Assert.Empty(external); // no CDN, no external tiles
        return page;
    }

    private static async Task ClickAt(IPage page, double lon, double lat)
    {
        var xy = await page.EvaluateAsync<double[]>($"() => {{ const p = window.srMap.project([{lon.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {lat.ToString(System.Globalization.CultureInfo.InvariantCulture)}]); const r = document.getElementById('map').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }}");
        await page.Mouse.ClickAsync((float)xy[0], (float)xy[1]);
    }

    [Fact]
    public async Task Clicking_a_kern_shows_its_advice_and_reach_in_both_languages()
    {
        var url = await fx.KestrelUrlAsync();
        var (pw, browser) = await Launch();
        try
        {
            var page = await OpenMap(browser, url);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "map-demo-region.png") });
            Assert.Contains("OpenStreetMap contributors", await page.InnerTextAsync(".maplibregl-ctrl-attrib"));
            await ClickAt(page, 4.692663, 51.012893); // Eikenrode
            await page.WaitForSelectorAsync("#advice-primary", new PageWaitForSelectorOptions { Timeout = 180_000 });
            Assert.Equal("Eikenrode", await page.InnerTextAsync("#kern-name"));
            Assert.Equal("Dorpspunt", await page.GetAttributeAsync("#advice-primary", "data-kind"));
            Assert.True(await page.Locator("#kern-advice li").CountAsync() > 0);
            Assert.True(await page.Locator("#kern-reach td.miss").CountAsync() > 0);
            await page.WaitForSelectorAsync("#kern-bus table", new PageWaitForSelectorOptions { Timeout = 180_000 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "kern-eikenrode-advice.png") });
            await page.ClickAsync("#lang");
            Assert.Equal("Advice", await page.InnerTextAsync("h3[data-i18n=advice]"));
            await page.WaitForFunctionAsync("() => document.getElementById('advice-primary')?.textContent === 'Village hub (dorpspunt)'", null, new PageWaitForFunctionOptions { Timeout = 180_000 });
            Assert.Contains("residents", await page.InnerTextAsync("#kern-facts"));
        }
        finally
        {
            await browser.CloseAsync();
            pw.Dispose();
        }
    }

    [Fact]
    public async Task Drawing_an_isochrone_shows_three_bands()
    {
        var url = await fx.KestrelUrlAsync();
        var (pw, browser) = await Launch();
        try
        {
            var page = await OpenMap(browser, url);
            await page.SelectOptionAsync("#iso-mode", "bike");
            await page.ClickAsync("#iso-draw");
            await ClickAt(page, 4.6555, 51.0285); // near Heidebeek's centre
            await page.WaitForFunctionAsync("() => document.body.dataset.isochrone === '3'", null, new PageWaitForFunctionOptions { Timeout = 180_000 });
            // The bands are drawn on the map, not just fetched.
            await page.WaitForFunctionAsync("() => window.srMap.queryRenderedFeatures({ layers: ['isochrones'] }).length > 0", null, new PageWaitForFunctionOptions { Timeout = 180_000 });
            Assert.Contains("km²", await page.InnerTextAsync("#iso-status"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "isochrone-bike.png") });

            // Bus: the departure field appears, and the bands are the median over 30 minutes from that time.
            await page.SelectOptionAsync("#iso-mode", "bus");
            Assert.True(await page.IsVisibleAsync("#iso-departure"));
            await page.FillAsync("#iso-departure", "07:00");
            await page.EvaluateAsync("() => { document.body.dataset.isochrone = ''; }");
            await page.ClickAsync("#iso-draw");
            await ClickAt(page, 4.6555, 51.0285);
            await page.WaitForFunctionAsync("() => document.body.dataset.isochrone === '3'", null, new PageWaitForFunctionOptions { Timeout = 180_000 });
            Assert.Contains("45 min", await page.InnerTextAsync("#iso-status"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "isochrone-bus.png") });
        }
        finally
        {
            await browser.CloseAsync();
            pw.Dispose();
        }
    }
}
