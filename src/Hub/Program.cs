using OpenClaw.Channels.Hub.Operations;

return await HubCommandLine.RunAsync(args);
