using System.Reflection;
using Microsoft.Extensions.Configuration.Json;

namespace OpenClaw.Channels.Hub.Operations;

/// <summary>Loads <c>dotnet user-secrets</c> (the Hub project's <c>UserSecretsId</c>) in every environment when the
/// hub itself is the entry assembly, placed where ASP.NET Core puts them in Development: after the
/// <c>appsettings*.json</c> files, before environment variables and the command line, which still override them.
/// Secrets live in the user's profile (<c>~/.microsoft/usersecrets/</c>), never in the repository. A test host (another
/// entry assembly) never reads them.</summary>
internal static class UserSecrets
{
    public static void Add(WebApplicationBuilder builder)
    {
        var hub = typeof(HubHost).Assembly;
        if (builder.Environment.IsDevelopment() || Assembly.GetEntryAssembly() != hub)
        {
            return; // Development adds them already; tests never read a developer's secrets.
        }

        var sources = builder.Configuration.Sources;
        var lastJson = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource)
            {
                lastJson = i;
            }
        }

        var secrets = new ConfigurationBuilder().AddUserSecrets(hub, optional: true, reloadOnChange: false).Sources[^1];
        sources.Insert(lastJson + 1, secrets);
    }
}
