using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ChatCompletionOptions = OpenAI.Chat.ChatCompletionOptions;
using ChatTool = OpenAI.Chat.ChatTool;

namespace OpenClaw.Channels.Agent;

/// <summary>The tools of a turn: the union of every <see cref="IAgentToolProvider"/>'s tools (a later tool with a name
/// already taken is ignored and logged), and the <see cref="ChatOptions"/> that offer them to the model.</summary>
internal sealed partial class AgentToolCatalog(IEnumerable<IAgentToolProvider> toolProviders, ILogger logger)
{
    private const int MaxCachedToolDefinitions = 256;

    private readonly ConcurrentDictionary<string, ChatTool> _openAiTools = new(StringComparer.Ordinal);

    /// <summary>Collects the tools for one turn.</summary>
    /// <param name="context">The turn's session and delivery target.</param>
    /// <param name="tools">Every tool, in provider order, for <see cref="ToChatOptions"/>.</param>
    /// <returns>The invocable functions by name.</returns>
    public Dictionary<string, AIFunction> Collect(AgentToolContext context, out List<AITool> tools)
    {
        tools = [];
        var functions = new Dictionary<string, AIFunction>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var provider in toolProviders)
        {
            foreach (var tool in provider.GetTools(context))
            {
                if (!names.Add(tool.Name))
                {
                    LogDuplicateTool(logger, tool.Name);
                    continue;
                }

                tools.Add(tool);
                if (tool is AIFunction function)
                {
                    functions[function.Name] = function;
                }
            }
        }

        return functions;
    }

    /// <summary>The tools go to the model as OpenAI <see cref="ChatTool"/>s converted once per distinct definition:
    /// Microsoft.Extensions.AI would convert every tool's JSON schema again on every request (about 4 % of the hub's CPU
    /// per message with five tools, measured with bench/Load). The hub's own loop invokes the tools, so
    /// <see cref="ChatOptions.Tools"/> carries only tools that are not functions.</summary>
    public ChatOptions ToChatOptions(List<AITool> tools)
    {
        if (tools.Count == 0)
        {
            return new ChatOptions();
        }

        if (_openAiTools.Count > MaxCachedToolDefinitions)
        {
            _openAiTools.Clear();
        }

        var converted = new List<ChatTool>(tools.Count);
        List<AITool>? others = null;
        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration function)
            {
                var key = string.Concat(function.Name, "\n", function.Description, "\n", function.JsonSchema.GetRawText());
                converted.Add(_openAiTools.GetOrAdd(key, static (_, f) => OpenAI.Chat.MicrosoftExtensionsAIChatExtensions.AsOpenAIChatTool(f), function));
            }
            else
            {
                (others ??= []).Add(tool);
            }
        }

        return new ChatOptions
        {
            Tools = others,
            RawRepresentationFactory = _ =>
            {
                var completionOptions = new ChatCompletionOptions();
                foreach (var tool in converted)
                {
                    completionOptions.Tools.Add(tool);
                }

                return completionOptions;
            },
        };
    }

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Two tools are named {Tool}; the later one is ignored")]
    private static partial void LogDuplicateTool(ILogger logger, string tool);
}
