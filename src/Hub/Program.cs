using OpenClaw.Channels.Hub.Operations;

return await HubCommand.RunAsync(args);
