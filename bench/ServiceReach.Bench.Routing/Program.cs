using ServiceReach.Bench.Routing;

return await BenchCommands.Run(args);
