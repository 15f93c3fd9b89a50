console.log("buildsim");
