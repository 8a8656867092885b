using Microsoft.Playwright;
using OpenClaw.Channels.Fakes.OpenAi;
using Xunit.Abstractions;

namespace OpenClaw.Channels.Tests;

/// <summary>The chat page in a real browser: Microsoft.Playwright driving Debian's Chromium (<c>/usr/bin/chromium</c>,
/// installed by <c>.ci/run</c>; Playwright's own browser download is never used) against a real hub with the fake model.</summary>
public class WebChatBrowserTests(ITestOutputHelper output)
{
    /// <summary>The browser binary; <c>OPENCLAW_TEST_CHROMIUM</c> overrides it.</summary>
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("OPENCLAW_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private static readonly float Timeout = 30_000;

    private static string Answer(FakeChatRequest request) =>
        $"**Got it.** You said *{request.LastUserText}*. This answer is streamed word by word, so the page shows it growing:\n\n"
        + "1. the hub posts a placeholder\n2. then edits it as the model writes\n3. and sends the final text\n\n`done` one two three four five six seven eight.";

    [Fact]
    public async Task TypeSend_SeeTheStreamedAnswer_Reload_SeeTheHistory_SecondBrowserHasItsOwnConversation()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install -y chromium (see .ci/run)");
        await using var hub = await WebChatHub.StartAsync(model: m =>
        {
            m.StreamChunkDelayMs = 60;
            m.DefaultResponder = r => FakeChatResponse.Answer(Answer(r));
        });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });

        await using var first = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = hub.BaseUrl, ViewportSize = new ViewportSize { Width = 960, Height = 720 } });
        var page = await OpenAsync(first);
        await Assertions.Expect(page.Locator("#empty")).ToBeVisibleAsync(new() { Timeout = Timeout });

        await page.Locator("#input").FillAsync("hello browser");
        await page.Locator("#input").PressAsync("Enter");
        await Assertions.Expect(page.Locator(".msg.user")).ToHaveTextAsync("hello browser", new() { Timeout = Timeout });

        // Streamed: the answer shows partly written (still marked streaming) before it is complete.
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('.msg.assistant.streaming')].some(m => m.textContent.includes('Got it.') && !m.textContent.includes('eight.'))",
            null,
            new() { Timeout = Timeout, PollingInterval = 20 });
        var answer = page.Locator(".msg.assistant");
        await Assertions.Expect(answer).ToContainTextAsync("eight.", new() { Timeout = Timeout });
        await Assertions.Expect(answer).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("streaming"), new() { Timeout = Timeout });
        var updates = int.Parse(await answer.GetAttributeAsync("data-updates") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(updates >= 3, $"placeholder, partial text and final text; the page saw {updates} versions");
        await Assertions.Expect(answer.Locator("strong")).ToHaveTextAsync("Got it.");
        await Assertions.Expect(answer.Locator("ol > li")).ToHaveCountAsync(3);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "webchat.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        output.WriteLine("web chat screenshot: " + screenshot);

        // Reload: the conversation comes back from the transcript.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator(".msg.user")).ToHaveTextAsync("hello browser");
        await Assertions.Expect(page.Locator(".msg.assistant strong")).ToHaveTextAsync("Got it.");
        await Assertions.Expect(page.Locator(".msg.assistant")).ToContainTextAsync("eight.");

        // A second browser context is another session: empty page, its own answer, nothing of the first.
        await using var second = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = hub.BaseUrl });
        var other = await OpenAsync(second);
        await Assertions.Expect(other.Locator(".msg")).ToHaveCountAsync(0);
        await other.Locator("#input").FillAsync("I am the second browser");
        await other.Locator("#send").ClickAsync();
        await Assertions.Expect(other.Locator(".msg.assistant")).ToContainTextAsync("eight.", new() { Timeout = Timeout });
        await Assertions.Expect(other.Locator(".msg.assistant")).ToContainTextAsync("I am the second browser");
        await Assertions.Expect(other.Locator(".msg")).ToHaveCountAsync(2);
        Assert.DoesNotContain(hub.Model.Requests.Single(r => r.LastUserText == "I am the second browser").Messages, m => m.Content?.Contains("hello browser", StringComparison.Ordinal) == true);

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator(".msg")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".msg.user")).ToHaveTextAsync("hello browser");

        // "New conversation" sends /reset: the page clears, the hub confirms, and a reload shows nothing old.
        await page.Locator("#reset").ClickAsync();
        await Assertions.Expect(page.Locator(".msg.assistant")).ToContainTextAsync("fresh session", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator(".msg.user")).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator(".msg")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task MarkdownFromTheModel_CannotRunScriptInThePage()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install -y chromium (see .ci/run)");
        await using var hub = await WebChatHub.StartAsync(model: m => m.DefaultResponder = _ => FakeChatResponse.Answer(
            "<img src=x onerror=\"window.pwned=1\"> <script>window.pwned=2</script> [link](javascript:window.pwned=3) **safe**"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs, Timeout = 60_000 });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = hub.BaseUrl });
        var page = await OpenAsync(context);
        await page.Locator("#input").FillAsync("try me");
        await page.Locator("#input").PressAsync("Enter");
        var answer = page.Locator(".msg.assistant");
        await Assertions.Expect(answer.Locator("strong")).ToHaveTextAsync("safe", new() { Timeout = Timeout });
        await Assertions.Expect(answer).ToContainTextAsync("<script>");
        Assert.Equal("#", await answer.Locator("a").GetAttributeAsync("href"));
        Assert.Equal(0, await answer.Locator("img, script").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));
    }

    private static async Task<IPage> OpenAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true", new() { Timeout = Timeout });
        return page;
    }
}
