namespace ServiceReach.Storage;
