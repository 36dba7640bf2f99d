// placeholder, replaced by the fake API owner
return 0;
