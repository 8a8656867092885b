using System.Text.Json.Nodes;

namespace OpenClaw.Channels.Tests;

/// <summary>Loads the fixtures under Payloads/ (see Payloads/README.md for the doc pages).</summary>
public static class Payload
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    public static JsonObject Json(string name) => JsonNode.Parse(Text(name))!.AsObject();
}
